"""Support counts: on pages and lists, and split by where the supporters live."""

from dataclasses import dataclass

from django.db.models import Count, Q

from forum.models import Challenge, Need, Support
from forum.selectors.residents import user_is_resident


@dataclass(frozen=True)
class SupportCount:
    """Supports of one challenge or need: in all, by its municipality's residents, elsewhere."""

    total: int
    local: int

    @property
    def elsewhere(self) -> int:
        return self.total - self.local


def support_count(*, need: Need | None = None, challenge: Challenge | None = None) -> SupportCount:
    """How many residents support the need or challenge, and how many of them live there."""
    subject = need or challenge
    if subject is None:
        return SupportCount(0, 0)
    target = {"need": need} if need is not None else {"challenge": challenge}
    counts = Support.objects.filter(**target).aggregate(
        total=Count("pk"), local=Count("pk", filter=Q(municipality_id=subject.municipality_id))
    )
    return SupportCount(counts["total"], counts["local"])


def user_is_supporting(
    user, *, need: Need | None = None, challenge: Challenge | None = None
) -> bool:
    """Whether the person supports the need or challenge."""
    if not user.is_authenticated or (need is None and challenge is None):
        return False
    target = {"need": need} if need is not None else {"challenge": challenge}
    return Support.objects.filter(user=user, **target).exists()


def support_state(user, *, need: Need | None = None, challenge: Challenge | None = None) -> dict:
    """What a need's or a challenge's page shows of support: the counts, whether the person
    supports it, and whether they may (residents)."""
    return {
        "support": support_count(need=need, challenge=challenge),
        "is_supporting": user_is_supporting(user, need=need, challenge=challenge),
        "can_support": user_is_resident(user),
    }


def support_list_for_user(user):
    """What the person supports that is still public, newest first: needs and challenges."""
    return (
        Support.objects.filter(user=user)
        .filter(Q(need__status=Need.Status.PUBLISHED) | Q(challenge__is_published=True))
        .select_related("need__municipality", "challenge__municipality")
        .order_by("-created_at", "-pk")
    )
