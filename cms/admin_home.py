"""The secretariat's admin-home panel of challenges waiting in moderation (forum.admin_home's
component, fed by cms's selector)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from cms.selectors import challenge_page_list_in_moderation
from forum.admin_home import SHOWN, WaitingItem, WaitingPanel, when


def challenges_in_moderation_panel(user) -> WaitingPanel:
    """Challenges submitted for review: open the editor, where 承認 and 修正依頼 are."""
    waiting = challenge_page_list_in_moderation(user)
    items = [
        WaitingItem(
            title=page.title,
            detail=_("%(municipality)s・提出 %(date)s")
            % {"municipality": page.municipality or "—", "date": when(page.submitted_at)},
            action_url=reverse("wagtailadmin_pages:edit", args=[page.pk]),
            action_label=_("確認する"),
        )
        for page in waiting[:SHOWN]
    ]
    return WaitingPanel(
        name="challenges_in_moderation",
        heading=_("確認待ちの課題"),
        items=items,
        total=waiting.count(),
        more_url=reverse("wagtailadmin_reports:workflow"),
        more_label=_("確認待ちをすべて見る"),
        empty=_("確認待ちの課題はありません。"),
        order=20,
    )
