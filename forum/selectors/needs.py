"""Reading residents' needs: public ones for everyone, one's own, the moderation queue."""

from django.db.models import Count, Q, QuerySet

from forum.models import Membership, Need, Organisation
from forum.selectors.proposals import municipality_ids_reviewed_by
from forum.selectors.roles import user_is_secretariat


def need_list_public() -> QuerySet[Need]:
    """Published needs, newest first, with their support counts."""
    return need_with_support_count(
        Need.objects.filter(status=Need.Status.PUBLISHED).select_related("municipality", "field")
    )


def need_list_for_author(user) -> QuerySet[Need]:
    """The needs a resident sent, in every state."""
    if not user.is_authenticated:
        return Need.objects.none()
    return need_with_support_count(
        Need.objects.filter(author=user).select_related("municipality", "field", "merged_into")
    )


def need_list_for_moderation(user) -> QuerySet[Need]:
    """Needs the user moderates as staff of their municipality (all for the secretariat):
    those waiting first, then the newest."""
    if user_is_secretariat(user):
        qs = Need.objects.all()
    else:
        qs = Need.objects.filter(municipality_id__in=municipality_ids_reviewed_by(user))
    return need_with_support_count(
        qs.select_related("municipality", "field", "merged_into")
    ).order_by("-status_waiting", "-created_at", "-pk")


def need_with_support_count(qs: QuerySet[Need]) -> QuerySet[Need]:
    """Needs with ``support_count`` and ``status_waiting`` (1 while waiting for moderation)."""
    return qs.annotate(
        support_count=Count("supports", distinct=True),
        status_waiting=Count("pk", filter=Q(status=Need.Status.SUBMITTED)),
    )


def user_can_moderate_need(user, need: Need) -> bool:
    """Staff of the need's municipality and the secretariat moderate it."""
    if not user.is_authenticated:
        return False
    return user_is_secretariat(user) or need.municipality_id in municipality_ids_reviewed_by(user)


def need_get_visible(user, pk: int) -> Need | None:
    """A need the user may read: published, their own, or one they moderate."""
    need = (
        need_with_support_count(Need.objects.filter(pk=pk))
        .select_related("municipality", "field", "merged_into")
        .first()
    )
    if need is None:
        return None
    if need.status == Need.Status.PUBLISHED:
        return need
    if user.is_authenticated and (need.author_id == user.pk or user_can_moderate_need(user, need)):
        return need
    return None


def need_get_for_challenge_page(page_id: int) -> Need | None:
    """The need a challenge page was made from (the link read from the challenge's side)."""
    return Need.objects.filter(challenge_page_id=page_id).first()


def need_staff_recipients(need: Need) -> list:
    """The municipality's staff, who are told of a new need."""
    return [
        membership.user
        for membership in Membership.objects.filter(
            organisation__kind=Organisation.Kind.MUNICIPALITY,
            organisation__status=Organisation.Status.APPROVED,
            organisation__municipality_id=need.municipality_id,
        ).select_related("user")
    ]
