"""Calls (募集回): who may run which, the schedule's rules, deadlines the services enforce,
reminders sent once, the public pages, feeds, API filter and dashboard narrowing."""

from datetime import date

from django.urls import reverse
from django.utils import translation

import pytest

from forum.models import AuditEvent, Call, CallReminder, Follow, Notification, Organisation
from forum.rules.calls import call_intake_refusal, call_phase, call_timeline
from forum.services.calls import call_create, call_update
from forum.services.errors import PermissionDenied, ServiceError
from forum.services.notifications import notification_preference_update
from forum.services.proposals import proposal_create, proposal_transition
from matching.reminders import call_reminders_send
from matching.services import interest_create
from tests.forum.call_fixtures import days, forum_call, move

pytestmark = pytest.mark.django_db


def _attach(cast, call):
    cast.challenge.call = call
    cast.challenge.save()


def test_the_timeline_marks_where_we_are_now():
    call = Call(
        intake_opens_on=date(2026, 5, 1),
        intake_closes_on=date(2026, 6, 30),
        question_deadline=date(2026, 6, 15),
        selection_date=date(2026, 7, 31),
        poc_starts_on=date(2026, 9, 1),
        poc_ends_on=date(2027, 2, 28),
    )
    steps = call_timeline(call, today=date(2026, 6, 20))
    assert [s.state for s in steps] == ["current", "past", "future", "future"]
    assert steps[0].starts_on == date(2026, 5, 1) and steps[0].ends_on == date(2026, 6, 30)
    assert call_phase(call, today=date(2026, 4, 1)) == "upcoming"
    assert call_phase(call, today=date(2026, 6, 30)) == "intake"
    assert call_phase(call, today=date(2026, 7, 1)) == "after_intake"
    assert call_phase(call, today=date(2027, 3, 1)) == "finished"


def test_secretariat_runs_forum_wide_calls_and_staff_only_their_own(cast):
    call = forum_call(cast.secretariat)
    assert AuditEvent.objects.filter(verb="call.created", target_id=call.pk).exists()
    with pytest.raises(PermissionDenied):
        forum_call(cast.reviewer, slug="staff-forum-wide")
    own = Organisation.objects.get(municipality__code="271403")
    other = Organisation.objects.get(municipality__code="272051")
    mine = call_create(
        actor=cast.reviewer,
        organisation=own,
        slug="sakai-own",
        title_ja="堺市の募集",
        intake_opens_on=days(0),
        intake_closes_on=days(30),
        question_deadline=days(20),
    )
    assert mine.organisation == own
    with pytest.raises(PermissionDenied):
        call_update(actor=cast.other_reviewer, call=mine, title_ja="乗っ取り")
    with pytest.raises(PermissionDenied):
        call_create(
            actor=cast.reviewer,
            organisation=other,
            slug="not-mine",
            title_ja="他市の募集",
            intake_opens_on=days(0),
            intake_closes_on=days(30),
            question_deadline=days(20),
        )
    with pytest.raises(PermissionDenied):
        forum_call(cast.proposer, slug="member-call")


def test_call_changes_are_checked_and_audited(cast):
    call = forum_call(cast.secretariat)
    with pytest.raises(ServiceError, match="質問締切日は受付締切日以前"):
        call_update(actor=cast.secretariat, call=call, question_deadline=days(40))
    call_update(actor=cast.secretariat, call=call, intake_closes_on=days(12))
    event = AuditEvent.objects.get(verb="call.updated", target_id=call.pk)
    assert event.actor == cast.secretariat
    assert event.data["changed"]["intake_closes_on"] == [days(10).isoformat(), days(12).isoformat()]


def test_no_proposal_is_submitted_after_intake_closes(cast):
    call = forum_call(cast.secretariat)
    _attach(cast, call)
    draft = cast.proposal("draft")
    move(call, intake_closes_on=-1, question_deadline=-2, intake_opens_on=-20)
    with pytest.raises(ServiceError) as error:
        proposal_transition(actor=cast.proposer, proposal=draft, action="submit")
    assert "提案受付は" in error.value.message and "締め切りました" in error.value.message
    with translation.override("en"):
        message = call_intake_refusal(call, today=days(0))
    assert message.startswith("Intake for")


def test_no_proposal_before_intake_opens(cast):
    call = forum_call(cast.secretariat, opens=2, closes=20, questions=10)
    _attach(cast, call)
    with pytest.raises(ServiceError, match="提案の受付は"):
        proposal_create(
            actor=cast.proposer,
            challenge=cast.challenge,
            organisation=cast.proposer_org,
            title="早すぎる提案",
            summary="まだ受付前です。",
        )


def test_challenges_outside_calls_keep_working(cast):
    assert cast.challenge.call is None
    assert cast.proposal("submitted").status == "submitted"


def test_reminders_go_once_to_followers_and_matching_interests_in_their_language(cast):
    call = forum_call(cast.secretariat, closes=2, questions=1)
    _attach(cast, call)
    Follow.objects.create(user=cast.proposer, challenge=cast.challenge)
    notification_preference_update(user=cast.other_member, language="en")
    interest_create(actor=cast.other_member, name="ため池", keywords=["ため池"])
    sent = call_reminders_send()
    assert sent == 4  # two people, two deadlines
    assert CallReminder.objects.filter(call=call).count() == 4
    ja = Notification.objects.filter(recipient=cast.proposer).values_list("title", flat=True)
    assert any("質問締切" in t for t in ja) and any("提案受付" in t for t in ja)
    en = list(
        Notification.objects.filter(recipient=cast.other_member).values_list("title", flat=True)
    )
    assert any("question deadline" in t for t in en)
    assert call_reminders_send() == 0
    assert Notification.objects.filter(verb__startswith="call.reminder").count() == 4


def test_no_reminder_long_before_a_deadline(cast):
    call = forum_call(cast.secretariat, closes=30, questions=20)
    _attach(cast, call)
    Follow.objects.create(user=cast.proposer, challenge=cast.challenge)
    assert call_reminders_send() == 0


def test_call_pages_feed_api_and_dashboard(client, cast):
    call = forum_call(cast.secretariat, description_ja="フォーラム全体の募集です。")
    _attach(cast, call)
    page = client.get(reverse("calls:list"))
    assert "令和8年度 第1回 地域課題募集" in page.content.decode()
    detail = client.get(reverse("calls:detail", args=[call.slug])).content.decode()
    assert 'data-testid="call-timeline"' in detail and "提案受付中" in detail
    assert "ため池の見守り" in detail and "選定結果は選定" in detail
    assert 'aria-current="step"' in detail
    feed = client.get(reverse("calls:feed_rss", args=[call.slug])).content.decode()
    assert "ため池の見守り" in feed
    assert client.get(reverse("calls:detail", args=["none"])).status_code == 404
    api = client.get("/api/v1/challenges/", {"call": call.slug}).json()
    assert [c["id"] for c in api["results"]] == [cast.challenge.pk]
    assert api["results"][0]["call"]["slug"] == call.slug
    assert client.get("/api/v1/challenges/", {"call": "nope"}).status_code == 400
    assert client.get("/api/v1/calls/").json()["results"][0]["slug"] == call.slug
    dashboard = client.get(reverse("dashboard:public"), {"call": call.slug}).content.decode()
    assert "募集回「令和8年度 第1回 地域課題募集」" in dashboard


def test_dashboard_narrowed_to_a_call_counts_only_its_challenges(cast):
    from forum.selectors.dashboard import dashboard_figures

    call = forum_call(cast.secretariat)
    assert dashboard_figures(public=True, call=call).tables["funnel"].rows[0][1] == 0
    _attach(cast, call)
    assert dashboard_figures(public=True, call=call).tables["funnel"].rows[0][1] == 1


def test_a_challenge_closes_with_its_calls_intake(cast):
    from forum.services.challenges import challenges_close_expired

    call = forum_call(cast.secretariat)
    _attach(cast, call)
    assert challenges_close_expired() == []
    move(call, intake_opens_on=-20, intake_closes_on=-1, question_deadline=-2)
    challenges_close_expired()
    cast.challenge.refresh_from_db()
    assert cast.challenge.status == "closed"


def test_the_call_page_marks_today_between_steps(client, cast):
    call = forum_call(cast.secretariat)
    move(call, intake_opens_on=-20, intake_closes_on=-3, question_deadline=-5)
    html = client.get(reverse("calls:detail", args=[call.slug])).content.decode()
    timeline = html[html.index('data-testid="call-timeline"') :]
    assert 'data-testid="call-today"' in timeline
    assert timeline.index("提案受付") < timeline.index('data-testid="call-today"')
    assert timeline.index('data-testid="call-today"') < timeline.index("選定")


def _admin_post_data(organisation, slug, title):
    return {
        "organisation": organisation.pk,
        "slug": slug,
        "title_ja": title,
        "title_en": "",
        "description_ja": "",
        "description_en": "",
        "intake_opens_on": days(0).isoformat(),
        "intake_closes_on": days(30).isoformat(),
        "question_deadline": days(20).isoformat(),
        "is_published": "on",
    }


def test_admin_screens_save_through_the_service_and_show_each_their_own(client, cast):
    own = Organisation.objects.get(municipality__code="271403")
    other = Organisation.objects.get(municipality__code="272051")
    forum_call(cast.secretariat)
    client.force_login(cast.reviewer)
    response = client.post("/admin/forum/calls/new/", _admin_post_data(own, "sakai", "堺市の募集"))
    assert response.status_code == 302
    mine = Call.objects.get(slug="sakai")
    assert AuditEvent.objects.filter(verb="call.created", target_id=mine.pk).exists()
    refused = client.post("/admin/forum/calls/new/", _admin_post_data(other, "x", "他市の募集"))
    assert refused.status_code == 200 and not Call.objects.filter(slug="x").exists()
    listing = client.get("/admin/forum/calls/").content.decode()
    assert "堺市の募集" in listing and "令和8年度 第1回 地域課題募集" not in listing
    client.force_login(cast.other_reviewer)
    assert client.get(f"/admin/forum/calls/edit/{mine.pk}/").status_code in (302, 403, 404)
    assert client.post(f"/admin/forum/calls/delete/{mine.pk}/").status_code in (302, 403, 404)
    assert Call.objects.filter(pk=mine.pk).exists()
    client.force_login(cast.secretariat)
    listing = client.get("/admin/forum/calls/").content.decode()
    assert "堺市の募集" in listing and "令和8年度 第1回 地域課題募集" in listing


def test_dashboard_call_and_department_forms_keep_each_other(client, cast):
    """Choosing a call keeps the chosen department and choosing a department keeps the call:
    each of the dashboard's two forms carries the other's choice."""
    from forum.models import Department
    from tests.factories import OrganisationFactory

    call = forum_call(cast.secretariat)
    _attach(cast, call)
    department = Department.objects.create(
        organisation=OrganisationFactory(name="市役所"), name="危機管理室", slug="kiki-kanri"
    )
    html = client.get(
        reverse("dashboard:public"), {"call": call.slug, "department": department.slug}
    ).content.decode()
    assert f'<input type="hidden" name="department" value="{department.slug}">' in html
    assert f'<input type="hidden" name="call" value="{call.slug}">' in html


def test_one_closing_day_everywhere_when_the_call_closes_before_the_deadline(client, cast):
    """A challenge takes proposals until its deadline or its call's intake end, whichever
    comes first: the proposal form, the API (and so open data) and the deadline sort agree."""
    from django.utils import dateformat

    from tests.forum.proposal_fixtures import published_challenge

    call = forum_call(cast.secretariat, closes=10)
    cast.challenge.deadline = days(60)
    _attach(cast, call)
    later = published_challenge(title="水路の清掃", url="/challenges/271403/suiro/")
    later.deadline = days(30)
    later.save()
    undated = published_challenge(title="公園の照明", url="/challenges/271403/koen/", deadline=None)
    assert cast.challenge.closes_on == days(10)
    assert undated.closes_on is None

    api = client.get("/api/v1/challenges/", {"sort": "deadline"}).json()["results"]
    assert [c["id"] for c in api] == [cast.challenge.pk, later.pk, undated.pk]
    assert api[0]["deadline"] == days(10).isoformat()
    assert api[1]["deadline"] == days(30).isoformat()

    client.force_login(cast.proposer)
    form = client.get(reverse("forum:proposal_create", args=[cast.challenge.pk]))
    shown = dateformat.format(days(10), "Y年n月j日")
    assert f"締切 {shown}" in form.content.decode()
    assert dateformat.format(days(60), "Y年n月j日") not in form.content.decode()
