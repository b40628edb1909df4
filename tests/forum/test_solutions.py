from django.urls import reverse

import pytest

from forum.models import Field, Municipality, SolutionProfile, Technology
from forum.services.errors import PermissionDenied, ServiceError
from forum.services.solutions import solution_create, solution_set_published
from tests.forum.helpers import company_member

pytestmark = pytest.mark.django_db


def _form(**overrides):
    data = {
        "title": "AI見守りセンサー",
        "summary": "高齢者の生活リズムを見守ります。",
        "description": "",
        "fields": [Field.objects.get(slug="health").pk],
        "technologies": [Technology.objects.get(slug="sensor").pk],
        "stage": "in_service",
        "track_record": "",
        "track_record_municipalities": [Municipality.objects.get(code="272051").pk],
        "price_range": "",
        "language": "ja",
    }
    data.update(overrides)
    return data


def test_member_creates_edits_and_publishes_solution(client):
    """Create as draft, publish, see it in the directory, unpublish, and it is gone."""
    user, organisation = company_member()
    client.force_login(user)
    response = client.post(reverse("forum:solution_create"), _form())
    solution = SolutionProfile.objects.get(title="AI見守りセンサー")
    assert response.status_code == 302 and not solution.is_published
    assert "AI見守りセンサー" not in client.get(reverse("directory:solutions")).content.decode()
    client.post(reverse("forum:solution_publish", args=[solution.pk, "publish"]))
    solution.refresh_from_db()
    assert solution.is_published and solution.published_at
    listing = client.get(
        reverse("directory:solutions")
        + "?field=health&technology=sensor&kind=company&municipality=272051"
    )
    assert "AI見守りセンサー" in listing.content.decode()
    assert (
        "AI見守りセンサー"
        not in client.get(reverse("directory:solutions") + "?field=mobility").content.decode()
    )
    client.post(reverse("forum:solution_publish", args=[solution.pk, "unpublish"]))
    assert (
        client.get(reverse("directory:solution", args=[solution.pk])).status_code == 200
    )  # own draft
    client.logout()
    assert client.get(reverse("directory:solution", args=[solution.pk])).status_code == 404


def test_outsider_cannot_edit_solution(client):
    """Another organisation's member gets 404 and changes nothing."""
    owner, organisation = company_member()
    solution = solution_create(actor=owner, organisation=organisation, title="t", summary="s")
    outsider, _ = company_member()
    client.force_login(outsider)
    assert client.get(reverse("forum:solution_edit", args=[solution.pk])).status_code == 404
    assert (
        client.post(reverse("forum:solution_publish", args=[solution.pk, "publish"])).status_code
        == 404
    )
    with pytest.raises(PermissionDenied):
        solution_set_published(actor=outsider, solution=solution, published=True)


def test_publishing_needs_a_field(client):
    """A solution without a field cannot be published; the message says what to add."""
    user, organisation = company_member()
    solution = solution_create(actor=user, organisation=organisation, title="t", summary="s")
    with pytest.raises(ServiceError, match="分野を1つ以上"):
        solution_set_published(actor=user, solution=solution, published=True)


def test_unapproved_organisation_solutions_stay_private(client):
    """Solutions of a pending organisation are not in the directory even if flagged published."""
    user, organisation = company_member(status="pending")
    SolutionProfile.objects.create(
        organisation=organisation, title="未承認の製品", summary="s", is_published=True
    )
    assert "未承認の製品" not in client.get(reverse("directory:solutions")).content.decode()


def test_directory_paginates_and_ignores_bad_filters(client):
    """Twelve per page; unknown filter values are dropped."""
    user, organisation = company_member()
    for number in range(14):
        s = solution_create(
            actor=user,
            organisation=organisation,
            title=f"製品{number}",
            summary="s",
            fields=[Field.objects.first()],
        )
        solution_set_published(actor=user, solution=s, published=True)
    response = client.get(reverse("directory:solutions") + "?field=xx&page=2")
    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == 2
    assert client.get(reverse("directory:organisations")).status_code == 200


def test_organisation_directory_count_opens_that_organisations_solutions(client):
    """The published-solutions count of an organisation leads to its own solutions only, not to
    every organisation of the same kind; a bad organisation value is ignored."""
    ours_user, ours = company_member()
    theirs_user, theirs = company_member()
    for user, organisation, title in (
        (ours_user, ours, "自社の見守りセンサー"),
        (theirs_user, theirs, "他社の配車アプリ"),
    ):
        s = solution_create(
            actor=user,
            organisation=organisation,
            title=title,
            summary="s",
            fields=[Field.objects.first()],
        )
        solution_set_published(actor=user, solution=s, published=True)
    directory = client.get(reverse("directory:organisations")).content.decode()
    link = f"{reverse('directory:solutions')}?organisation={ours.pk}"
    assert f'href="{link}"' in directory

    body = client.get(link).content.decode()
    assert "自社の見守りセンサー" in body
    assert "他社の配車アプリ" not in body
    assert f"{ours.name}のソリューションだけを表示しています" in body
    assert f'name="organisation" value="{ours.pk}"' in body

    for bad in ("abc", "99999999999999999999", "0"):
        response = client.get(reverse("directory:solutions"), {"organisation": bad})
        assert response.status_code == 200
        assert "他社の配車アプリ" in response.content.decode()
