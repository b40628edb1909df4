"""Evaluation: criteria before intake closes, the panel and its conflicts of interest, scores,
the final decision with feedback, and the public result that shows no score."""

from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone

import pytest

from forum.models import (
    AuditEvent,
    Notification,
    PanelMember,
    ProjectProposal,
    Proposal,
    ProposalDecision,
    ReviewScore,
)
from forum.rules.evaluation import LOWER, MIDDLE, UPPER, result_band, weighted_total
from forum.services.errors import PermissionDenied, ServiceError
from forum.services.evaluation import (
    CriterionInput,
    DecisionInput,
    conflict_declare,
    criteria_set,
    panel_invitation_accept,
    panel_member_add,
    panel_member_invite,
    panel_member_remove,
    review_save,
    selection_decide,
    selection_publish,
)
from forum.services.proposals import proposal_create, proposal_transition
from tests.factories import OrganisationFactory, UserFactory
from tests.forum.helpers import member_of

pytestmark = pytest.mark.django_db

CRITERIA = [
    CriterionInput("課題への適合性", 30),
    CriterionInput("実現性", 25),
    CriterionInput("費用", 20),
    CriterionInput("横展開の可能性", 15),
    CriterionInput("実績", 10),
]


def _criteria(cast):
    return criteria_set(actor=cast.reviewer, challenge=cast.challenge, criteria=CRITERIA)


def _second_proposal(cast, name="株式会社にばん"):
    org = OrganisationFactory(name=name)
    user = member_of(org, role="admin")
    proposal = proposal_create(
        actor=user,
        challenge=cast.challenge,
        organisation=org,
        title=f"{name}の提案",
        summary="概要",
    )
    proposal_transition(actor=user, proposal=proposal, action="submit")
    proposal.refresh_from_db()
    return proposal, user


def _score(user, proposal, criteria, values, note="所見"):
    return review_save(
        actor=user,
        proposal=proposal,
        values={c.pk: v for c, v in zip(criteria, values, strict=True)},
        note=note,
    )


@pytest.fixture
def evaluated(cast):
    """Criteria, a panel of two (the municipality and the secretariat), two proposals scored;
    the secretariat member declares a conflict with the second."""
    criteria = _criteria(cast)
    first = cast.proposal("submitted")
    second, second_user = _second_proposal(cast)
    panel_member_add(actor=cast.reviewer, challenge=cast.challenge, user=cast.reviewer)
    panel_member_add(actor=cast.reviewer, challenge=cast.challenge, user=cast.secretariat)
    for user in (cast.reviewer, cast.secretariat):
        conflict_declare(actor=user, proposal=first, has_conflict=False)
    conflict_declare(actor=cast.reviewer, proposal=second, has_conflict=False)
    conflict_declare(
        actor=cast.secretariat, proposal=second, has_conflict=True, note="元勤務先です"
    )
    _score(cast.reviewer, first, criteria, [5, 5, 4, 4, 3], note="非公開の所見A")
    _score(cast.secretariat, first, criteria, [4, 4, 4, 3, 3], note="非公開の所見B")
    _score(cast.reviewer, second, criteria, [2, 3, 5, 2, 1], note="非公開の所見C")
    return {"criteria": criteria, "first": first, "second": second, "second_user": second_user}


def _decide(cast, evaluated):
    return selection_decide(
        actor=cast.reviewer,
        challenge=cast.challenge,
        decisions={
            evaluated["first"].pk: DecisionInput("selected", "総合点が最も高い"),
            evaluated["second"].pk: DecisionInput(
                "not_selected", "実現性に課題", "費用面は優れていました。"
            ),
        },
    )


# --- rules --------------------------------------------------------------------------------


def test_weighted_total_is_out_of_100():
    """Full marks on every criterion are 100; a missing criterion gives no total."""
    weights = {1: 30, 2: 70}
    assert weighted_total({1: 5, 2: 5}, weights, 5) == 100
    assert weighted_total({1: 5, 2: 0}, weights, 5) == 30
    assert weighted_total({1: 5}, weights, 5) is None


def test_bands_split_in_thirds_and_ties_share_the_better_band():
    """Upper, middle, lower thirds of the proposals' averages; equal averages, equal band."""
    values = [5.0, 4.0, 3.0]
    assert [result_band(v, values) for v in values] == [UPPER, MIDDLE, LOWER]
    assert result_band(4.0, [4.0, 4.0, 1.0]) == UPPER


# --- criteria -----------------------------------------------------------------------------


def test_criteria_are_set_by_the_municipality_and_shown_on_the_challenge(cast):
    """Saved criteria keep their order and weights; the change is audited."""
    criteria = _criteria(cast)
    assert [(c.name, c.weight) for c in criteria][0] == ("課題への適合性", 30)
    assert AuditEvent.objects.filter(verb="evaluation.criteria_set", actor=cast.reviewer).exists()


@pytest.mark.parametrize("who", ["proposer", "other_reviewer", "visitor"])
def test_criteria_refused_to_others(cast, who):
    """A company, another municipality's staff or a plain member may not set criteria."""
    with pytest.raises(PermissionDenied):
        criteria_set(actor=getattr(cast, who), challenge=cast.challenge, criteria=CRITERIA)


def test_criteria_frozen_after_intake_closes(cast):
    """Once the challenge stops taking proposals, its criteria can no longer change."""
    _criteria(cast)
    cast.challenge.deadline = timezone.localdate() - timedelta(days=1)
    cast.challenge.save()
    with pytest.raises(ServiceError, match="募集が終了"):
        _criteria(cast)


def test_criteria_input_checked(cast):
    """Duplicates and weights off 1–100 are refused with a message; nothing is saved."""
    with pytest.raises(ServiceError):
        criteria_set(
            actor=cast.reviewer,
            challenge=cast.challenge,
            criteria=[CriterionInput("実現性", 10), CriterionInput("実現性", 20)],
        )
    with pytest.raises(ServiceError, match="配点"):
        criteria_set(
            actor=cast.reviewer, challenge=cast.challenge, criteria=[CriterionInput("費用", 0)]
        )
    assert not cast.challenge.criteria.exists()


# --- panel and scores ---------------------------------------------------------------------


def test_panel_takes_only_staff_of_the_municipality_or_the_secretariat(cast):
    """A company member or another municipality's staff cannot be seated directly."""
    for outsider in (cast.proposer, cast.other_reviewer):
        with pytest.raises(ServiceError):
            panel_member_add(actor=cast.reviewer, challenge=cast.challenge, user=outsider)
    member = panel_member_add(actor=cast.reviewer, challenge=cast.challenge, user=cast.reviewer)
    assert member.kind == PanelMember.Kind.MUNICIPALITY


def test_scores_refused_before_declaring(cast):
    """A panel member must declare conflicts of interest before scoring."""
    criteria = _criteria(cast)
    proposal = cast.proposal("submitted")
    panel_member_add(actor=cast.reviewer, challenge=cast.challenge, user=cast.reviewer)
    with pytest.raises(ServiceError, match="利益相反"):
        _score(cast.reviewer, proposal, criteria, [3, 3, 3, 3, 3])


def test_scores_refused_from_a_conflicted_member(evaluated, cast):
    """A declared conflict excludes the member from scoring that proposal."""
    with pytest.raises(PermissionDenied):
        _score(cast.secretariat, evaluated["second"], evaluated["criteria"], [3, 3, 3, 3, 3])


@pytest.mark.parametrize("who", ["proposer", "other_reviewer", "other_member", "visitor"])
def test_scores_refused_from_non_members(evaluated, cast, who):
    """Only the panel scores: not the proposer, not staff of another municipality."""
    with pytest.raises(PermissionDenied):
        _score(getattr(cast, who), evaluated["first"], evaluated["criteria"], [3, 3, 3, 3, 3])


def test_scores_refused_from_a_panel_member_of_another_challenge(evaluated, cast):
    """A seat on one challenge's panel gives nothing on another challenge."""
    from tests.forum.proposal_fixtures import published_challenge

    other = published_challenge(title="別の課題", url="/challenges/other/")
    seat_elsewhere = UserFactory(email="elsewhere@example.jp")
    member = panel_member_invite(actor=cast.reviewer, challenge=other, email=seat_elsewhere.email)
    panel_invitation_accept(user=seat_elsewhere, token=member.token)
    with pytest.raises(PermissionDenied):
        conflict_declare(actor=seat_elsewhere, proposal=evaluated["first"], has_conflict=False)


@pytest.mark.parametrize("values", [[6, 3, 3, 3, 3], [0, 3, 3, 3, 3], [3, 3, 3, 3]])
def test_scores_off_the_scale_or_incomplete_refused(evaluated, cast, values):
    """Values off 1–5, or a criterion left out, are refused and the old scores stay."""
    criteria = evaluated["criteria"]
    with pytest.raises(ServiceError):
        review_save(
            actor=cast.reviewer,
            proposal=evaluated["first"],
            values={c.pk: v for c, v in zip(criteria, values, strict=False)},
        )
    kept = ReviewScore.objects.filter(
        review__proposal=evaluated["first"], review__panel_member__user=cast.reviewer
    )
    assert sorted(s.value for s in kept) == [3, 4, 4, 5, 5]


def test_every_score_and_declaration_is_audited(evaluated, cast):
    """Who declared and scored, and when, is in the audit trail."""
    assert AuditEvent.objects.filter(verb="evaluation.conflict_declared").count() == 4
    assert AuditEvent.objects.filter(verb="evaluation.review_saved").count() == 3
    assert AuditEvent.objects.filter(
        verb="evaluation.conflict_declared", actor=cast.secretariat, data__has_conflict=True
    ).exists()


# --- removing a member or an invitation ------------------------------------------------------


def _secretariat_seat(cast):
    return PanelMember.objects.get(challenge=cast.challenge, user=cast.secretariat)


def test_removed_member_no_longer_counts_or_scores(evaluated, cast, client):
    """Taken off the panel with a reason: their scores leave the comparison, they can no longer
    score or open the panel page, and the seat stays on record with who removed it and why."""
    seat = _secretariat_seat(cast)
    panel_member_remove(actor=cast.reviewer, member=seat, reason="利害関係が判明したため")
    seat.refresh_from_db()
    assert seat.is_removed and seat.removed_by == cast.reviewer
    from forum.selectors.evaluation import evaluation_comparison

    comparison = evaluation_comparison(cast.challenge)
    assert [m.user for m in comparison.members] == [cast.reviewer]
    first = next(r for r in comparison.rows if r.proposal == evaluated["first"])
    assert first.average == first.cells[0].total  # only the remaining member's total
    with pytest.raises(PermissionDenied):
        _score(cast.secretariat, evaluated["first"], evaluated["criteria"], [1, 1, 1, 1, 1])
    client.force_login(cast.secretariat)
    own = reverse("forum:panel_proposal", args=[cast.challenge.pk, evaluated["first"].pk])
    assert client.get(own).status_code == 404
    event = AuditEvent.objects.get(verb="evaluation.panel_member_removed")
    assert event.actor == cast.reviewer and event.data["reason"] == "利害関係が判明したため"
    client.force_login(cast.reviewer)
    page = client.get(reverse("forum:evaluation_manage", args=[cast.challenge.pk])).content
    assert "利害関係が判明したため".encode() in page


def test_removed_member_can_be_seated_again(evaluated, cast):
    """A removal is not a ban: the same person can be added back and starts a new seat."""
    panel_member_remove(actor=cast.reviewer, member=_secretariat_seat(cast), reason="誤って登録")
    again = panel_member_add(actor=cast.reviewer, challenge=cast.challenge, user=cast.secretariat)
    assert again.is_active and again.reviews.count() == 0


def test_withdrawn_invitation_link_stops_working(cast, client):
    """An external evaluator's invitation withdrawn before acceptance cannot be accepted; the
    link says so instead of offering the button."""
    evaluator = UserFactory(email="torikeshi@example.ac.jp")
    member = panel_member_invite(
        actor=cast.reviewer, challenge=cast.challenge, email=evaluator.email
    )
    panel_member_remove(actor=cast.reviewer, member=member, reason="宛先の誤り")
    with pytest.raises(ServiceError, match="取り消されました"):
        panel_invitation_accept(user=evaluator, token=member.token)
    client.force_login(evaluator)
    url = reverse("forum:panel_invitation_accept", args=[member.token])
    page = client.get(url).content.decode()
    assert "この招待は取り消されました" in page and "審査の依頼を受ける" not in page


def test_removal_needs_a_reason_and_is_refused_after_the_decision(evaluated, cast, client):
    """Without a reason nothing changes and the form says why; after the decision the panel is
    final."""
    seat = _secretariat_seat(cast)
    client.force_login(cast.reviewer)
    url = reverse("forum:evaluation_panel_remove", args=[cast.challenge.pk, seat.pk])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    seat.refresh_from_db()
    assert not seat.is_removed
    _decide(cast, evaluated)
    with pytest.raises(ServiceError, match="決定済み"):
        panel_member_remove(actor=cast.reviewer, member=seat, reason="理由")


@pytest.mark.parametrize("who", ["proposer", "other_reviewer", "other_member", "visitor"])
def test_removal_refused_to_others(evaluated, cast, client, who):
    """Only the challenge's managers remove members: others get nothing, the seat stays."""
    seat = _secretariat_seat(cast)
    with pytest.raises(PermissionDenied):
        panel_member_remove(actor=getattr(cast, who), member=seat, reason="理由")
    client.force_login(getattr(cast, who))
    url = reverse("forum:evaluation_panel_remove", args=[cast.challenge.pk, seat.pk])
    assert client.post(url, {"reason": "理由"}).status_code == 404
    seat.refresh_from_db()
    assert not seat.is_removed


# --- external evaluators --------------------------------------------------------------------


def test_external_evaluator_sees_and_scores_only_assigned_proposals(
    evaluated, cast, client, django_capture_on_commit_callbacks
):
    """Invited by email, they accept with that address and reach only their proposals."""
    evaluator = UserFactory(email="hyoka@example.ac.jp")
    with django_capture_on_commit_callbacks(execute=True):
        member = panel_member_invite(
            actor=cast.reviewer,
            challenge=cast.challenge,
            email=evaluator.email,
            proposals=[evaluated["first"]],
        )
    assert any(member.token in m.body for m in mail.outbox)
    with pytest.raises(ServiceError):
        panel_invitation_accept(user=UserFactory(email="someone@example.jp"), token=member.token)
    panel_invitation_accept(user=evaluator, token=member.token)
    conflict_declare(actor=evaluator, proposal=evaluated["first"], has_conflict=False)
    with pytest.raises(PermissionDenied):
        conflict_declare(actor=evaluator, proposal=evaluated["second"], has_conflict=False)
    client.force_login(evaluator)
    url = reverse("forum:panel_proposal", args=[cast.challenge.pk, evaluated["second"].pk])
    assert client.get(url).status_code == 404
    own = reverse("forum:panel_proposal", args=[cast.challenge.pk, evaluated["first"].pk])
    assert client.get(own).status_code == 200
    for name, args in [
        ("forum:proposal_detail", [evaluated["first"].pk]),
        ("forum:review_challenge", [cast.challenge.pk]),
        ("forum:evaluation_manage", [cast.challenge.pk]),
        ("forum:evaluation_csv", [cast.challenge.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404, name
    panel = client.get(reverse("forum:panel_home")).content.decode()
    assert evaluated["first"].title in panel
    assert evaluated["second"].title not in panel


# --- comparison -----------------------------------------------------------------------------


def test_comparison_table_shows_totals_spread_and_who_has_not_scored(evaluated, cast, client):
    """The municipality sees each member's totals, the conflict and the missing score."""
    client.force_login(cast.reviewer)
    page = client.get(reverse("forum:evaluation_manage", args=[cast.challenge.pk]))
    html = page.content.decode()
    # reviewer on the first: (30*5+25*5+20*4+15*4+10*3)/5 = 89.0; secretariat: 75.0; mean 82.0
    assert "89.0" in html and "75.0" in html and "82.0" in html
    assert "非公開の所見A" in html
    assert "利益相反" in html


def test_comparison_csv_has_a_bom_and_every_member(evaluated, cast, client):
    """The CSV opens in Excel (BOM) with one row per proposal and member."""
    client.force_login(cast.reviewer)
    response = client.get(reverse("forum:evaluation_csv", args=[cast.challenge.pk]))
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    assert text.count("\n") == 1 + 2 * 2
    assert "82.0" in text and "利益相反" in text


def test_comparison_pdf_is_a_pdf(evaluated, cast, client):
    """The PDF for internal approval renders."""
    client.force_login(cast.reviewer)
    response = client.get(reverse("forum:evaluation_pdf", args=[cast.challenge.pk]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize("who", ["proposer", "other_member", "other_reviewer", "visitor"])
def test_comparison_refused_to_others(evaluated, cast, client, who):
    """A company, another municipality or a plain member never reads the comparison."""
    client.force_login(getattr(cast, who))
    for name in ("forum:evaluation_manage", "forum:evaluation_csv", "forum:evaluation_pdf"):
        assert client.get(reverse(name, args=[cast.challenge.pk])).status_code == 404


# --- decision, feedback, result -------------------------------------------------------------


def test_decision_form_preselects_no_outcome(evaluated, cast, client):
    """No proposal is selected by a careless submit: each result must be chosen, and what was
    typed stays in the form beside the message."""
    client.force_login(cast.reviewer)
    page = client.get(reverse("forum:evaluation_manage", args=[cast.challenge.pk]))
    first, second = evaluated["first"], evaluated["second"]
    form = page.context["decision_form"]
    assert form[f"outcome_{first.pk}"].value() in (None, "")
    assert form.fields[f"outcome_{first.pk}"].choices[0][0] == ""
    response = client.post(
        reverse("forum:evaluation_decide", args=[cast.challenge.pk]),
        {
            f"outcome_{first.pk}": "selected",
            f"reason_{first.pk}": "費用対効果が高い",
            f"reason_{second.pk}": "実績が少ない",
        },
    )
    assert response.status_code == 400
    assert "この提案の結果を選んでください。" in response.content.decode()
    assert "実績が少ない" in response.content.decode()
    assert not ProposalDecision.objects.filter(proposal__challenge=cast.challenge).exists()


def test_decision_opens_the_project_and_is_final(evaluated, cast):
    """Selecting accepts the proposal into a project; scores after the decision are refused."""
    _decide(cast, evaluated)
    first, second = evaluated["first"], evaluated["second"]
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Proposal.Status.ACCEPTED
    assert ProjectProposal.objects.filter(proposal=first).exists()
    assert second.status == Proposal.Status.DECLINED
    with pytest.raises(ServiceError, match="決定済み"):
        _score(cast.reviewer, first, evaluated["criteria"], [1, 1, 1, 1, 1])
    with pytest.raises(ServiceError):
        _decide(cast, evaluated)
    assert AuditEvent.objects.filter(verb="evaluation.decided").count() == 2


def test_decision_needs_a_reason_and_the_municipality(evaluated, cast):
    """No reason, or a decider from outside the municipality, is refused; nothing changes."""
    with pytest.raises(ServiceError):
        selection_decide(
            actor=cast.reviewer,
            challenge=cast.challenge,
            decisions={
                evaluated["first"].pk: DecisionInput("selected", ""),
                evaluated["second"].pk: DecisionInput("not_selected", "理由", "コメント"),
            },
        )
    for who in ("secretariat", "other_reviewer", "proposer"):
        with pytest.raises(PermissionDenied):
            selection_decide(
                actor=getattr(cast, who),
                challenge=cast.challenge,
                decisions={
                    evaluated["first"].pk: DecisionInput("selected", "理由"),
                    evaluated["second"].pk: DecisionInput("not_selected", "理由", "コメント"),
                },
            )
    assert not ProposalDecision.objects.exists()


def test_feedback_reaches_the_proposer_with_their_bands_only(evaluated, cast, client):
    """The one not chosen gets a notice and email with their bands and the note; no scores."""
    _decide(cast, evaluated)
    user = evaluated["second_user"]
    notice = Notification.objects.get(recipient=user, verb="evaluation.feedback")
    assert notice.url == reverse("forum:proposal_feedback", args=[evaluated["second"].pk])
    decision = ProposalDecision.objects.get(proposal=evaluated["second"])
    bands = {b["criterion"]: b["band"] for b in decision.bands}
    assert bands["費用"] == UPPER and bands["実現性"] == MIDDLE
    client.force_login(user)
    html = client.get(notice.url).content.decode()
    assert "費用面は優れていました。" in html and "上位" in html
    for secret in ("89.0", "82.0", "非公開の所見", evaluated["first"].title, "株式会社みずもり"):
        assert secret not in html
    client.force_login(cast.proposer)
    assert client.get(notice.url).status_code == 404


def test_feedback_is_written_in_the_proposers_language(evaluated, cast, client):
    """An English reader gets the notice and the page in English."""
    from forum.services.notifications import notification_preference_update

    user = evaluated["second_user"]
    notification_preference_update(user=user, email_mode="immediate", language="en")
    _decide(cast, evaluated)
    notice = Notification.objects.get(recipient=user, verb="evaluation.feedback")
    assert "selection" in notice.title.lower()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    html = client.get(notice.url).content.decode()
    assert "Result per criterion" in html and "Upper" in html


def test_public_result_only_after_publication_and_without_scores(evaluated, cast):
    """Publishing is explicit and audited; the result names the selected and no score."""
    from forum.selectors.evaluation import selection_public_result

    with pytest.raises(ServiceError):
        selection_publish(actor=cast.reviewer, challenge=cast.challenge, public_reasons="理由")
    _decide(cast, evaluated)
    assert selection_public_result(cast.challenge) is None
    with pytest.raises(PermissionDenied):
        selection_publish(actor=cast.proposer, challenge=cast.challenge, public_reasons="理由")
    selection_publish(
        actor=cast.reviewer, challenge=cast.challenge, public_reasons="実現性と費用の均衡"
    )
    result = selection_public_result(cast.challenge)
    assert result.received == 2
    assert result.selected == [
        {"title": evaluated["first"].title, "organisations": ["株式会社みずもり"]}
    ]
    assert AuditEvent.objects.filter(verb="evaluation.result_published").exists()


def _published(cast, evaluated):
    _decide(cast, evaluated)
    selection_publish(
        actor=cast.reviewer, challenge=cast.challenge, public_reasons="実現性と費用の均衡"
    )


SECRETS = ("82.0", "89.0", "75.0", "非公開の所見", "株式会社にばん", "費用面は優れていました。")


def test_api_exposes_the_published_result_without_scores(evaluated, cast, client):
    """The public API lists the result after publication only, and never a score or note."""
    assert client.get("/api/v1/results/").json()["count"] == 0
    assert client.get(f"/api/v1/results/{cast.challenge.pk}/").status_code == 404
    _published(cast, evaluated)
    listing = client.get("/api/v1/results/")
    assert listing.json()["count"] == 1
    detail = client.get(f"/api/v1/results/{cast.challenge.pk}/").json()
    assert detail["selected"] == [
        {"title": evaluated["first"].title, "organisations": ["株式会社みずもり"]}
    ]
    assert detail["received"] == 2 and detail["reasons"] == "実現性と費用の均衡"
    assert [c["weight"] for c in detail["criteria"]] == [30, 25, 20, 15, 10]
    body = (
        listing.content.decode()
        + client.get(f"/api/v1/results/{cast.challenge.pk}/").content.decode()
    )
    for secret in SECRETS:
        assert secret not in body


def test_open_data_offers_results_without_scores(evaluated, cast, client):
    """The results dataset (CSV and JSON) carries the public result and nothing private."""
    _published(cast, evaluated)
    csv_text = b"".join(client.get("/opendata/results.csv").streaming_content).decode()
    json_text = client.get("/opendata/results.json").content.decode()
    for text in (csv_text, json_text):
        assert "株式会社みずもり" in text and "実現性と費用の均衡" in text
        for secret in SECRETS:
            assert secret not in text
    assert csv_text.startswith("\ufeff")


def test_challenge_page_shows_criteria_and_the_published_result(evaluated, cast, client):
    """The challenge's public page lists its criteria; the result appears once published."""
    from django.template.loader import render_to_string

    from forum.selectors.evaluation import criterion_list_for_challenge, selection_public_result

    def page():
        return render_to_string(
            "cms/includes_challenge_evaluation.html",
            {
                "criteria": list(criterion_list_for_challenge(cast.challenge)),
                "selection_result": selection_public_result(cast.challenge),
            },
        )

    assert "課題への適合性" in page() and "選定結果" not in page()
    _published(cast, evaluated)
    html = page()
    assert "株式会社みずもり" in html and "実現性と費用の均衡" in html
    for secret in SECRETS:
        assert secret not in html


# --- the plain accept/decline cannot bypass the panel --------------------------------------


@pytest.mark.parametrize("action", ["accept", "decline"])
def test_plain_accept_or_decline_refused_once_the_challenge_has_criteria(evaluated, cast, action):
    """With criteria set, only the decision accepts or declines; the plain action changes nothing,
    opens no project and records nothing."""
    first = evaluated["first"]
    with pytest.raises(ServiceError, match="審査結果の決定") as refused:
        proposal_transition(actor=cast.reviewer, proposal=first, action=action, note="理由")
    assert refused.value.code == "decided_by_selection"
    first.refresh_from_db()
    assert first.status == Proposal.Status.SUBMITTED
    assert not ProjectProposal.objects.filter(proposal=first).exists()
    assert not AuditEvent.objects.filter(verb=f"proposal.{action}").exists()
    assert not ProposalDecision.objects.exists()


def test_plain_accept_still_works_on_a_challenge_without_criteria(cast):
    """Challenges that are not evaluated keep the simple accept."""
    proposal = cast.proposal("submitted")
    assert proposal_transition(actor=cast.reviewer, proposal=proposal, action="accept")
    assert ProjectProposal.objects.filter(proposal=proposal).exists()


def test_plain_accept_refused_in_english_too(evaluated, cast):
    """The refusal reads in the user's language."""
    from django.utils import translation

    with translation.override("en"), pytest.raises(ServiceError) as refused:
        proposal_transition(actor=cast.reviewer, proposal=evaluated["first"], action="accept")
    assert "evaluation criteria" in refused.value.message


def test_proposal_page_hides_plain_accept_and_decline_under_evaluation(evaluated, cast, client):
    """The reviewer's page offers shortlisting but no plain accept/decline, and points to the
    decision; a posted accept is refused with the message and leaves the proposal as it was."""
    first = evaluated["first"]
    client.force_login(cast.reviewer)
    html = client.get(reverse("forum:proposal_detail", args=[first.pk])).content.decode()
    assert 'data-action="shortlist"' in html
    assert 'data-action="accept"' not in html and 'data-action="decline"' not in html
    assert 'data-testid="decided-by-selection"' in html
    assert reverse("forum:evaluation_manage", args=[cast.challenge.pk]) in html
    response = client.post(reverse("forum:proposal_action", args=[first.pk, "accept"]), follow=True)
    assert "審査結果の決定" in response.content.decode()
    first.refresh_from_db()
    assert first.status == Proposal.Status.SUBMITTED


def test_decision_still_accepts_and_declines_under_evaluation(evaluated, cast):
    """The decision service is the way through: it accepts and declines evaluated proposals."""
    _decide(cast, evaluated)
    assert AuditEvent.objects.filter(verb="proposal.accept", actor=cast.reviewer).exists()
    assert AuditEvent.objects.filter(verb="proposal.decline", actor=cast.reviewer).exists()


# --- a decided challenge stops taking proposals --------------------------------------------


def _company(name):
    org = OrganisationFactory(name=name)
    return org, member_of(org, role="admin")


def _submitted(challenge, org, user):
    proposal = proposal_create(
        actor=user, challenge=challenge, organisation=org, title=f"{org.name}の提案", summary="概要"
    )
    proposal_transition(actor=user, proposal=proposal, action="submit")
    return proposal


def test_a_decided_challenge_no_longer_takes_proposals(client):
    """Before the decision a company sees 「募集中」 and the button to propose; once decided the
    page says the selection is over, offers no button, and the services refuse new proposals,
    even after the page is published again or the closing sweep runs."""
    from cms.services import challenge_pages_close_expired, site_ensure
    from forum.models import Challenge
    from tests.cms.factories import challenge_page, staff_of

    site_ensure()
    staff = staff_of("271403")
    page_obj = challenge_page("271403", title="ため池の水位を遠隔で見守りたい")
    challenge = Challenge.objects.get(page_id=page_obj.pk)
    criteria = criteria_set(actor=staff, challenge=challenge, criteria=CRITERIA)
    winner = _submitted(challenge, *_company("株式会社かつ"))
    loser = _submitted(challenge, *_company("株式会社まけ"))
    panel_member_add(actor=staff, challenge=challenge, user=staff)
    for proposal, values in ((winner, [5, 5, 5, 5, 5]), (loser, [2, 2, 2, 2, 2])):
        conflict_declare(actor=staff, proposal=proposal, has_conflict=False)
        _score(staff, proposal, criteria, values)
    late_org, late = _company("株式会社おそい")
    client.force_login(late)

    def page():
        return client.get(page_obj.url).content.decode()

    before = page()
    assert "募集中" in before and "この課題に提案する" in before
    selection_decide(
        actor=staff,
        challenge=challenge,
        decisions={
            winner.pk: DecisionInput("selected", "総合点が最も高い"),
            loser.pk: DecisionInput("not_selected", "実現性に課題", "費用面は優れていました。"),
        },
    )
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.CLOSED
    after = page()
    assert "募集中" not in after and "この課題に提案する" not in after
    assert "募集終了" in after and 'data-testid="intake-closed"' in after
    with pytest.raises(ServiceError):
        proposal_create(
            actor=late, challenge=challenge, organisation=late_org, title="遅い提案", summary="s"
        )

    page_obj.refresh_from_db()
    page_obj.save_revision().publish()
    challenge_pages_close_expired()
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.CLOSED

    selection_publish(actor=staff, challenge=challenge, public_reasons="費用と実現性の均衡")
    published = page()
    assert "この課題の選定は終了しました" in published and "募集中" not in published
    assert "この課題に提案する" not in published


def test_the_closing_sweep_closes_a_challenge_decided_while_it_was_open(evaluated, cast):
    """A record decided but still open (decided before decisions closed intake) is closed by
    the hourly sweep."""
    from forum.models import Challenge
    from forum.services.challenges import challenges_close_expired

    _decide(cast, evaluated)
    Challenge.objects.filter(pk=cast.challenge.pk).update(status=Challenge.Status.OPEN)
    challenges_close_expired()
    cast.challenge.refresh_from_db()
    assert cast.challenge.status == Challenge.Status.CLOSED


def test_review_form_labels_criteria_with_english_brackets(cast):
    """A criterion reads "実現性 (25)" on the English review form and 実現性（25） in Japanese."""
    from django.utils import translation

    from forum.forms.evaluation import ReviewForm

    criteria = _criteria(cast)
    with translation.override("en"):
        form = ReviewForm(criteria=criteria, scale_min=1, scale_max=5)
        assert form.fields[f"score_{criteria[1].pk}"].label == "実現性 (25)"
    with translation.override("ja"):
        form = ReviewForm(criteria=criteria, scale_min=1, scale_max=5)
        assert form.fields[f"score_{criteria[1].pk}"].label == "実現性（25）"
