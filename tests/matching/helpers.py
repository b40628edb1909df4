"""Helpers of the matching tests: challenges published the way the CMS publishes them, interests."""

import itertools
from datetime import timedelta

from django.utils import timezone

from forum.models import Challenge, Field, Municipality, Technology
from forum.services.challenges import ChallengeSnapshot, challenge_publish_snapshot
from forum.services.solutions import solution_create, solution_set_published
from matching.services import interest_create
from search.services import index_rebuild
from tests.forum.helpers import company_member, secretariat_user
from tests.forum.proposal_fixtures import municipality_staff_for, published_challenge

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


def build_world() -> dict:
    """A Sakai flood challenge, a fitting sensor solution, an unrelated app, and who looks at them."""
    challenge = published_challenge(
        title="ため池の水位を見守りたい", summary="大雨のときにため池の水位を知りたい"
    )
    challenge.technologies.set([Technology.objects.get(slug="sensor")])
    member, organisation = company_member()
    fitting = solution_create(
        actor=member,
        organisation=organisation,
        title="水位センサーで見守り",
        summary="ため池や河川の水位を見守る",
        fields=[Field.objects.get(slug="safety")],
        technologies=[Technology.objects.get(slug="sensor")],
    )
    solution_set_published(actor=member, solution=fitting, published=True)
    other_member, other_org = company_member()
    unrelated = solution_create(
        actor=other_member,
        organisation=other_org,
        title="観光案内アプリ",
        summary="観光客向けの案内で水位情報も表示",
        fields=[Field.objects.get(slug="industry")],
    )
    solution_set_published(actor=other_member, solution=unrelated, published=True)
    index_rebuild()
    return {
        "challenge": challenge,
        "member": member,
        "organisation": organisation,
        "fitting": fitting,
        "other_member": other_member,
        "unrelated": unrelated,
        "sakai": municipality_staff_for("271403"),
        "suita": municipality_staff_for("272051"),
        "secretariat": secretariat_user(),
    }
