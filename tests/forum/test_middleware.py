import re

from django.urls import reverse

import pytest

pytestmark = pytest.mark.django_db


def test_browser_language_does_not_switch_to_english(client):
    """A browser asking for English still gets Japanese until the person switches."""
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert response["Content-Language"] == "ja"
    assert "ログイン" in response.content.decode()


def test_language_switch_shows_english(client):
    """Choosing English with the switcher renders the site's strings in English."""
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    response = client.get("/accounts/login/")
    assert response["Content-Language"] == "en"
    assert "Skip to main content" in response.content.decode()


def test_unknown_language_cookie_falls_back_to_japanese(client, settings):
    """A tampered language cookie is ignored."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    response = client.get("/accounts/login/")
    assert response["Content-Language"] == "ja"


def test_staff_without_second_factor_is_anonymous_to_the_api(client):
    """The API ignores sessions: staff still setting up TOTP get JSON, never their powers."""
    from tests.forum.helpers import secretariat_user

    client.force_login(secretariat_user(mfa=False))
    assert client.get("/member/").status_code == 302
    response = client.get("/api/v1/fields/")
    assert response.status_code == 200 and response.json()["count"] == 7
    assert client.get("/api/v1/member/proposals/").status_code == 401


# Forms sent twice ------------------------------------------------------------------------------

TOKEN = re.compile(r'name="form_token" value="([0-9a-f]{32})"')


def _tokens(client, url: str) -> list[str]:
    """The one-time tokens of the forms on the page."""
    response = client.get(url)
    assert response.status_code == 200
    return TOKEN.findall(response.content.decode())


def _solution_form(token: str, **overrides) -> dict:
    from forum.models import Field

    return {
        "form_token": token,
        "title": "AI見守りセンサー",
        "summary": "高齢者の生活リズムを見守ります。",
        "fields": [Field.objects.get(slug="health").pk],
        "stage": "in_service",
        "language": "ja",
        **overrides,
    }


def test_create_form_sent_twice_creates_once_and_leads_to_the_first_result(client):
    """The second POST of the same rendered form creates nothing and goes where the first went,
    with a message saying why."""
    from forum.models import SolutionProfile
    from tests.forum.helpers import company_member

    user, organisation = company_member()
    client.force_login(user)
    [token] = _tokens(client, reverse("forum:solution_create"))
    first = client.post(reverse("forum:solution_create"), _solution_form(token))
    second = client.post(reverse("forum:solution_create"), _solution_form(token), follow=True)
    assert first.status_code == 302
    assert second.redirect_chain[0][0] == first["Location"]
    assert "すでに送信されています" in second.content.decode()
    assert SolutionProfile.objects.filter(organisation=organisation).count() == 1


def test_form_shown_again_with_errors_can_be_sent_once_corrected(client):
    """A POST that comes back with the form's errors wrote nothing, so its token stays usable."""
    from forum.models import SolutionProfile
    from tests.forum.helpers import company_member

    user, organisation = company_member()
    client.force_login(user)
    [token] = _tokens(client, reverse("forum:solution_create"))
    refused = client.post(reverse("forum:solution_create"), _solution_form(token, title=""))
    assert refused.status_code == 200
    assert TOKEN.search(refused.content.decode())  # the form shown again has a token of its own
    assert client.post(reverse("forum:solution_create"), _solution_form(token)).status_code == 302
    assert SolutionProfile.objects.filter(organisation=organisation).count() == 1


def test_project_report_sent_twice_is_saved_once(client, crew):
    """Each form of the project page has its token: a report resent is not saved twice."""
    from django.utils import timezone

    from forum.models import ProgressReport

    client.force_login(crew.coordinator)
    url = reverse("forum:project_report", args=[crew.project.pk])
    tokens = _tokens(client, reverse("forum:project_manage", args=[crew.project.pk]))
    assert len(set(tokens)) == len(tokens) >= 5
    data = {
        "form_token": tokens[0],
        "reported_on": timezone.localdate().isoformat(),
        "body": "順調",
    }
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert ProgressReport.objects.filter(project=crew.project).count() == 1


def test_form_token_is_each_persons_own(client):
    """Another person posting with the same token value gets their own solution."""
    from forum.models import SolutionProfile
    from tests.forum.helpers import company_member

    token = "0123456789abcdef0123456789abcdef"
    for _ in range(2):
        user, _organisation = company_member()
        client.force_login(user)
        assert (
            client.post(reverse("forum:solution_create"), _solution_form(token)).status_code == 302
        )
    assert SolutionProfile.objects.count() == 2


def test_second_post_while_the_first_still_runs_writes_nothing(client, monkeypatch):
    """If the first POST has not answered in time the second gets 409 and creates nothing."""
    from forum.models import SolutionProfile
    from forum.services.submissions import form_submission_claim
    from tests.forum.helpers import company_member

    monkeypatch.setattr("forum.middleware.WAIT_FOR_FIRST", 0)
    user, organisation = company_member()
    client.force_login(user)
    [token] = _tokens(client, reverse("forum:solution_create"))
    form_submission_claim(user=user, token=token, path=reverse("forum:solution_create"))
    response = client.post(reverse("forum:solution_create"), _solution_form(token))
    assert response.status_code == 409
    assert "処理しています" in response.content.decode()
    assert not SolutionProfile.objects.filter(organisation=organisation).exists()


def test_forms_that_create_things_carry_a_token(client, crew):
    """The pages whose forms create organisations, requests, proposals, solutions, projects,
    reports, milestones, KPIs, documents and interests render a token in each of those forms."""
    from tests.forum.helpers import company_member

    user, _organisation = company_member()
    client.force_login(user)
    for name in ("organisation_apply", "organisation_join", "solution_create"):
        assert len(_tokens(client, reverse(f"forum:{name}"))) == 1, name
    assert len(_tokens(client, reverse("interests:create"))) == 1
    client.force_login(crew.secretariat)
    assert len(_tokens(client, reverse("forum:project_create"))) == 1
    manage = _tokens(client, reverse("forum:project_manage", args=[crew.project.pk]))
    # stage, report, milestone, KPI, document, coordinator, participant, owning department
    assert len(manage) == 8
