"""Reading residents' needs: public ones for everyone, one's own, the moderation queue."""

from django.db.models import Count, F, Max, Q, QuerySet

from forum.models import Membership, Need, Organisation, Support
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


_PLACE = ("code", "name", "name_en")
_FIELD = ("slug", "name_ja", "name_en")


def _row(key, rows: dict) -> dict:
    return rows.setdefault(
        key,
        {
            "municipality": dict(zip(("code", "name_ja", "name_en"), key[0], strict=True)),
            "field": dict(zip(_FIELD, key[1], strict=True)),
            "needs_received": 0,
            "needs_published": 0,
            "needs_to_challenges": 0,
            "need_supports": 0,
            "challenge_supports": 0,
            "supports_local": 0,
        },
    )


def need_figures() -> list[dict]:
    """Counts only, per municipality and field: needs received, published and turned into
    challenges, and residents' support of needs and of challenges (and how much of it came
    from the municipality's own residents). The 見える化 and open data read these."""
    rows: dict = {}
    place = [f"municipality__{name}" for name in _PLACE]
    field = [f"field__{name}" for name in _FIELD]
    needs = Need.objects.values(*place, *field).annotate(
        received=Count("pk"),
        published=Count("pk", filter=Q(status=Need.Status.PUBLISHED)),
        challenges=Count("pk", filter=Q(challenge_page_id__isnull=False)),
    )
    for n in needs:
        row = _row((tuple(n[k] for k in place), tuple(n[k] for k in field)), rows)
        row["needs_received"] = n["received"]
        row["needs_published"] = n["published"]
        row["needs_to_challenges"] = n["challenges"]
    for target in ("need", "challenge"):
        t_place = [f"{target}__municipality__{name}" for name in _PLACE]
        t_field = [f"{target}__field__{name}" for name in _FIELD]
        supports = (
            Support.objects.filter(**{f"{target}__isnull": False})
            .values(*t_place, *t_field)
            .annotate(
                total=Count("pk"),
                local=Count("pk", filter=Q(municipality_id=F(f"{target}__municipality_id"))),
            )
        )
        for s in supports:
            row = _row((tuple(s[k] for k in t_place), tuple(s[k] for k in t_field)), rows)
            row[f"{target}_supports"] = s["total"]
            row["supports_local"] += s["local"]
    return [rows[key] for key in sorted(rows)]


def need_last_updated():
    """When a need or a support last changed (for the open data's date)."""
    latest = [
        Need.objects.aggregate(at=Max("updated_at"))["at"],
        Support.objects.aggregate(at=Max("created_at"))["at"],
    ]
    return max((at for at in latest if at), default=None)
