"""Turning a resident's published need into a draft challenge page of its municipality.

The page is created as a draft in the municipality's place for challenges, for its staff to
complete and send through the usual moderation; the need keeps the page's id, so each side
finds the other (``forum.selectors.needs.need_get_for_challenge_page``).
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cms.models import ChallengeIndexPage, ChallengePage
from cms.services import municipality_space_ensure
from forum.models import Need, Organisation
from forum.selectors.needs import user_can_moderate_need
from forum.services.errors import PermissionDenied, ServiceError
from forum.services.needs import need_link_challenge

# A draft's deadline until the staff set the real one.
DRAFT_DEADLINE = timedelta(days=60)


def _challenge_place(need: Need) -> ChallengeIndexPage:
    index = ChallengeIndexPage.objects.filter(municipality=need.municipality).first()
    if index is None:
        organisation = Organisation.objects.filter(
            kind=Organisation.Kind.MUNICIPALITY,
            status=Organisation.Status.APPROVED,
            municipality=need.municipality,
        ).first()
        index = municipality_space_ensure(organisation_id=organisation.pk) if organisation else None
    if index is None:
        raise ServiceError(
            _("この市町村には課題の掲載場所がまだありません。事務局にご相談ください。")
        )
    return index


@transaction.atomic
def challenge_draft_from_need(*, actor, need_id: int) -> ChallengePage:
    """Create the draft challenge of a published need and link both; the resident is told."""
    need = Need.objects.select_for_update().select_related("municipality", "field").get(pk=need_id)
    if not user_can_moderate_need(actor, need):
        raise PermissionDenied(_("この困りごとを扱えるのは、その市町村の職員と事務局です。"))
    if need.status != Need.Status.PUBLISHED or need.challenge_page_id:
        raise ServiceError(_("公開中で、まだ課題になっていない困りごとだけを課題にできます。"))
    page = ChallengePage(
        title=need.title,
        slug=slugify(f"need-{need.pk}") or f"need-{need.pk}",
        field=need.field,
        summary=need.description[:1000],
        background=_("住民の声「%(title)s」（%(place)s）から作成した課題です。\n\n%(text)s")
        % {
            "title": need.title,
            "place": need.place_name or need.municipality.name,
            "text": need.description,
        },
        deadline=timezone.localdate() + DRAFT_DEADLINE,
        live=False,
    )
    _challenge_place(need).add_child(instance=page)
    page.save_revision(user=actor)
    need_link_challenge(actor=actor, need=need, page_id=page.pk)
    return page
