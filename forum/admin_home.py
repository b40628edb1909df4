"""The secretariat's panels on the Wagtail admin home: what waits for it, each with its action.

``WaitingPanel`` is one box (a heading with the count, the oldest items, the action of each one
click away and a link to the whole list); forum's panels are built here and cms adds its own
(challenges in moderation) with the same component. Only the secretariat gets them, except the
questions panel: municipality staff see their own municipality's questions there.
"""

from dataclasses import dataclass

from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail.admin.ui.components import Component

from forum.rules.project_progress import STALE_AFTER_DAYS
from forum.selectors.organisations import organisation_list_awaiting_review
from forum.selectors.projects.lists import project_list_stale
from forum.selectors.questions import question_list_queue

SHOWN = 5


@dataclass(frozen=True)
class WaitingItem:
    """One thing that waits: its name, a line about it and the action that settles it."""

    title: str
    detail: str
    action_url: str
    action_label: str
    approve_organisation: object | None = None  # shows the one-click approval form


class WaitingPanel(Component):
    """A box of the admin home listing what waits, oldest first."""

    template_name = "forum/admin/waiting_panel.html"

    def __init__(
        self,
        *,
        name: str,
        heading: str,
        items: list[WaitingItem],
        total: int,
        more_url: str,
        more_label: str,
        empty: str,
        order: int,
    ):
        self.name = name
        self.heading = heading
        self.items = items
        self.total = total
        self.more_url = more_url
        self.more_label = more_label
        self.empty = empty
        self.order = order

    def get_context_data(self, parent_context):
        request = parent_context.get("request")
        return {
            "panel": self,
            "request": request,
            # Rendered from a plain dict: the approval form's token is passed by hand.
            "csrf_token": get_token(request) if request else "",
        }


def when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d") if moment else "—"


def organisations_panel(user) -> WaitingPanel:
    """Applications to approve: approve in one click, or open the review screen."""
    pending = organisation_list_awaiting_review(user).select_related("municipality")
    items = [
        WaitingItem(
            title=organisation.name,
            detail=_("%(kind)s・申請 %(date)s")
            % {"kind": organisation.get_kind_display(), "date": when(organisation.created_at)},
            action_url=reverse("forum_organisation:review", args=[organisation.pk]),
            action_label=_("審査する"),
            approve_organisation=organisation,
        )
        for organisation in pending[:SHOWN]
    ]
    return WaitingPanel(
        name="organisations_awaiting_review",
        heading=_("承認待ちの団体"),
        items=items,
        total=pending.count(),
        more_url=reverse("forum_organisation:index") + "?status=pending",
        more_label=_("承認待ちの団体をすべて見る"),
        empty=_("承認待ちの団体はありません。"),
        order=10,
    )


def stale_projects_panel(user) -> WaitingPanel:
    """Working projects that stopped reporting: open the project to ask for a report."""
    stale = project_list_stale(user)
    today = timezone.localdate()
    items = [
        WaitingItem(
            title=project.title,
            detail=_("%(stage)s・最終報告から%(days)s日")
            % {"stage": project.get_stage_display(), "days": (today - project.quiet_since).days},
            action_url=reverse("forum:project_manage", args=[project.pk]),
            action_label=_("プロジェクトを開く"),
        )
        for project in stale[:SHOWN]
    ]
    return WaitingPanel(
        name="stale_projects",
        heading=_("%(days)s日以上報告のないプロジェクト") % {"days": STALE_AFTER_DAYS},
        items=items,
        total=stale.count(),
        more_url=reverse("forum:dashboard_stale"),
        more_label=_("見える化（事務局用）で一覧を見る"),
        empty=_("報告の滞っているプロジェクトはありません。"),
        order=30,
    )


def questions_panel(user) -> WaitingPanel:
    """Questions still waiting for an answer or its publication, each opened in the answer queue:
    all of them for the secretariat, their own municipality's for its staff."""
    waiting = question_list_queue(user)
    items = [
        WaitingItem(
            title=question.body[:80],
            detail=_("「%(challenge)s」・%(status)s・受付 %(date)s")
            % {
                "challenge": question.challenge.title,
                "status": question.get_status_display(),
                "date": when(question.created_at),
            },
            action_url=reverse("forum:question_queue")
            + f"?challenge={question.challenge_id}#question-{question.pk}",
            action_label=_("回答する"),
        )
        for question in waiting[:SHOWN]
    ]
    return WaitingPanel(
        name="questions_waiting",
        heading=_("回答待ちの質問"),
        items=items,
        total=waiting.count(),
        more_url=reverse("forum:question_queue"),
        more_label=_("回答待ちの質問をすべて見る"),
        empty=_("回答待ちの質問はありません。"),
        order=25,
    )
