"""Helpers of the matching tests: challenges published the way the CMS publishes them, interests."""

import itertools
from datetime import timedelta

from django.utils import timezone

from forum.models import Challenge, Field, Municipality, Technology
from forum.services.challenges import ChallengeSnapshot, challenge_publish_snapshot
from matching.services import interest_create

_page_ids = itertools.count(900_000)


def publish_challenge(
    *,
    title: str = "ドローンで橋梁を点検したい",
    summary: str = "老朽化した橋の点検を安全に進めたい",
    code: str = "271403",
    field: str = "infrastructure",
    technologies: tuple[str, ...] = ("drone",),
    page_id: int | None = None,
    **extra,
) -> Challenge:
    """Publish (or re-publish, with the same page id) a challenge through the forum's service."""
    municipality = Municipality.objects.get(code=code)
    page_id = page_id or next(_page_ids)
    snapshot = ChallengeSnapshot(
        page_id=page_id,
        url=f"/challenges/{code}/c{page_id}/",
        title=title,
        summary=summary,
        municipality_id=municipality.pk,
        field_id=Field.objects.get(slug=field).pk,
        technology_ids=list(
            Technology.objects.filter(slug__in=technologies).values_list("pk", flat=True)
        ),
        deadline=extra.pop("deadline", timezone.localdate() + timedelta(days=30)),
        **extra,
    )
    return challenge_publish_snapshot(snapshot=snapshot)


def save_interest(owner, *, name: str = "ドローン点検", **criteria):
    """Save an interest through the service; criteria by slug / code for brevity."""
    values = {
        "fields": Field.objects.filter(slug__in=criteria.pop("fields", ())),
        "technologies": Technology.objects.filter(slug__in=criteria.pop("technologies", ())),
        "municipalities": Municipality.objects.filter(code__in=criteria.pop("municipalities", ())),
        "keywords": criteria.pop("keywords", ()),
    }
    return interest_create(actor=owner, name=name, **values, **criteria)
