"""Every role × every proposal view and action: allowed exactly where the rules say."""

from django.urls import reverse

import pytest

from forum.models import Proposal

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "proposer", "other_member", "reviewer", "other_reviewer", "secretariat"]

# Which roles may see each page of a submitted proposal.
VIEW_RULES = {
    "detail": {"proposer", "reviewer", "secretariat"},
    "attachment": {"proposer", "reviewer", "secretariat"},
    "review_challenge": {"reviewer", "secretariat"},
}

# Which role may perform each action, and from which status.
ACTION_RULES = {
    "submit": ("draft", {"proposer"}),
    "withdraw": ("submitted", {"proposer"}),
    "review": ("submitted", {"reviewer"}),
    "shortlist": ("submitted", {"reviewer"}),
    "accept": ("shortlisted", {"reviewer"}),
    "decline": ("submitted", {"reviewer"}),
}


def _login(client, cast, role):
    if role != "anonymous":
        client.force_login(getattr(cast, role))


def _denied(response) -> bool:
    if response.status_code in (403, 404):
        return True
    return response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("view", sorted(VIEW_RULES))
def test_view_permissions(client, cast, role, view):
    """Detail, attachment download and the review list open only for those allowed."""
    proposal = cast.proposal("submitted")
    urls = {
        "detail": reverse("forum:proposal_detail", args=[proposal.pk]),
        "attachment": reverse(
            "forum:proposal_attachment", args=[proposal.pk, proposal.attachments.get().pk]
        ),
        "review_challenge": reverse("forum:review_challenge", args=[cast.challenge.pk]),
    }
    _login(client, cast, role)
    response = client.get(urls[view])
    if role in VIEW_RULES[view]:
        assert response.status_code == 200
        if view == "attachment":
            assert b"".join(response.streaming_content).startswith(b"%PDF")
    else:
        assert _denied(response), response.status_code


@pytest.mark.parametrize("role", ROLES)
def test_list_shows_only_permitted_proposals(client, cast, role):
    """The member's list and the review list never show a proposal to outsiders."""
    proposal = cast.proposal("submitted")
    _login(client, cast, role)
    seen = proposal.title in client.get(reverse("forum:proposal_list")).content.decode()
    assert seen == (role == "proposer")
    review = client.get(reverse("forum:review_challenge", args=[cast.challenge.pk]))
    assert (review.status_code == 200 and proposal.title in review.content.decode()) == (
        role in {"reviewer", "secretariat"}
    )


@pytest.mark.parametrize("role", ROLES)
def test_drafts_are_hidden_from_the_municipality(client, cast, role):
    """A draft is visible to its own organisation (and the secretariat) only."""
    proposal = cast.proposal("draft")
    _login(client, cast, role)
    response = client.get(reverse("forum:proposal_detail", args=[proposal.pk]))
    if role in {"proposer", "secretariat"}:
        assert response.status_code == 200
    else:
        assert _denied(response)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(ACTION_RULES))
def test_status_change_permissions(client, cast, role, action):
    """Each status change succeeds for its role only; everyone else changes nothing."""
    start, allowed = ACTION_RULES[action]
    proposal = cast.proposal(start)
    _login(client, cast, role)
    response = client.post(
        reverse("forum:proposal_action", args=[proposal.pk, action]), {"note": "理由を記入"}
    )
    proposal.refresh_from_db()
    if role in allowed:
        assert response.status_code == 302
        assert proposal.status != start
    else:
        assert _denied(response), response.status_code
        assert proposal.status == start


@pytest.mark.parametrize("role", ROLES)
def test_message_permissions(client, cast, role):
    """Both sides write to the thread; the secretariat reads only; others get nothing."""
    proposal = cast.proposal("submitted")
    _login(client, cast, role)
    client.post(
        reverse("forum:proposal_message", args=[proposal.pk]), {"body": f"{role}からの質問"}
    )
    posted = proposal.messages.filter(body=f"{role}からの質問").exists()
    assert posted == (role in {"proposer", "reviewer"})


def test_secretariat_reads_thread(client, cast):
    """The secretariat sees the messages between the two sides."""
    from forum.services.proposals import proposal_message_post

    proposal = cast.proposal("submitted")
    proposal_message_post(actor=cast.reviewer, proposal=proposal, body="費用の内訳を教えてください")
    client.force_login(cast.secretariat)
    assert (
        "費用の内訳を教えてください"
        in client.get(reverse("forum:proposal_detail", args=[proposal.pk])).content.decode()
    )


def test_attachment_is_not_under_public_media(cast, settings):
    """Stored files live under the private root, never MEDIA_ROOT, and have no public URL."""
    proposal = cast.proposal("submitted")
    attachment = proposal.attachments.get()
    assert str(settings.PRIVATE_MEDIA_ROOT) in attachment.file.path
    assert str(settings.MEDIA_ROOT) not in attachment.file.path
    with pytest.raises(ValueError):
        attachment.file.url  # noqa: B018


def test_tampered_attachment_id_is_404(client, cast):
    """An attachment id from another proposal is not served."""
    proposal = cast.proposal("submitted")
    client.force_login(cast.proposer)
    response = client.get(reverse("forum:proposal_attachment", args=[proposal.pk, 999999]))
    assert response.status_code == 404
    assert Proposal.objects.count() == 1


# --- evaluation: panel members, external evaluators and co-proposers -------------------------
#
# The challenge has criteria and a panel: the municipality's reviewer and the secretariat, and an
# external evaluator assigned to the joint proposal only. The joint proposal is led by the
# proposer with an accepted co-proposer; a rival company made the second proposal. Another
# municipality's staff sits on the panel of their own challenge.

EVAL_ROLES = [
    "anonymous",
    "proposer",
    "co_proposer",
    "rival",
    "other_member",
    "reviewer",
    "other_reviewer",
    "secretariat",
    "other_panel_member",
    "external",
]
# Who may do what; every other role is refused.
EVAL_RULES = {
    "comparison": {"reviewer", "secretariat"},
    "score_joint": {"reviewer", "secretariat", "external"},
    "score_rival": {"reviewer", "secretariat"},
    "panel_page_rival": {"reviewer", "secretariat"},
    "decide": {"reviewer"},
    "rival_feedback": {"rival"},
    "joint_feedback": set(),  # selected: no feedback page, for anyone
}


@pytest.fixture
def panel(cast, django_capture_on_commit_callbacks):
    from forum.services.evaluation import (
        CriterionInput,
        criteria_set,
        panel_invitation_accept,
        panel_member_add,
        panel_member_invite,
    )
    from forum.services.proposals import (
        proposal_create,
        proposal_partner_answer,
        proposal_partner_invite,
        proposal_transition,
    )
    from tests.factories import OrganisationFactory, UserFactory
    from tests.forum.helpers import member_of
    from tests.forum.proposal_fixtures import published_challenge

    criteria = criteria_set(
        actor=cast.reviewer,
        challenge=cast.challenge,
        criteria=[CriterionInput("実現性", 60), CriterionInput("費用", 40)],
    )
    joint = cast.proposal("draft")
    co_org = OrganisationFactory(name="なにわ大学", kind="university")
    co_proposer = member_of(co_org, role="admin")
    invite = proposal_partner_invite(actor=cast.proposer, proposal=joint, organisation=co_org)
    proposal_partner_answer(actor=co_proposer, partner=invite, accept=True)
    proposal_transition(actor=cast.proposer, proposal=joint, action="submit")
    rival_org = OrganisationFactory(name="株式会社ライバル")
    rival = member_of(rival_org, role="admin")
    second = proposal_create(
        actor=rival, challenge=cast.challenge, organisation=rival_org, title="別案", summary="s"
    )
    proposal_transition(actor=rival, proposal=second, action="submit")
    panel_member_add(actor=cast.reviewer, challenge=cast.challenge, user=cast.reviewer)
    panel_member_add(actor=cast.reviewer, challenge=cast.challenge, user=cast.secretariat)
    external = UserFactory(email="hyoka@example.ac.jp")
    with django_capture_on_commit_callbacks(execute=True):
        seat = panel_member_invite(
            actor=cast.reviewer, challenge=cast.challenge, email=external.email, proposals=[joint]
        )
    panel_invitation_accept(user=external, token=seat.token)
    elsewhere = published_challenge("272035", title="別の市の課題", url="/challenges/272035/other/")
    from tests.forum.proposal_fixtures import municipality_staff_for

    other_panel_member = municipality_staff_for("272035")
    panel_member_add(actor=other_panel_member, challenge=elsewhere, user=other_panel_member)
    users = {
        "co_proposer": co_proposer,
        "rival": rival,
        "external": external,
        "other_panel_member": other_panel_member,
    }
    joint.refresh_from_db()
    second.refresh_from_db()
    return {"criteria": criteria, "joint": joint, "rival": second, "users": users}


def _user(cast, panel, role):
    return panel["users"].get(role) or getattr(cast, role, None)


def _eval_login(client, cast, panel, role):
    if role != "anonymous":
        client.force_login(_user(cast, panel, role))


def _score_attempt(user, proposal, criteria):
    """Declare no conflict and score; True when the review was saved."""
    from forum.services.errors import PermissionDenied, ServiceError
    from forum.services.evaluation import conflict_declare, review_save

    if user is None:
        return False
    try:
        conflict_declare(actor=user, proposal=proposal, has_conflict=False)
        review_save(actor=user, proposal=proposal, values={c.pk: 3 for c in criteria})
    except (PermissionDenied, ServiceError):
        return False
    return True


def _decide_all(user, cast, panel):
    from forum.services.evaluation import DecisionInput, selection_decide

    return selection_decide(
        actor=user,
        challenge=cast.challenge,
        decisions={
            panel["joint"].pk: DecisionInput("selected", "実現性が高い"),
            panel["rival"].pk: DecisionInput("not_selected", "費用が高い", "実績は十分でした"),
        },
    )


@pytest.mark.parametrize("role", EVAL_ROLES)
def test_comparison_table_and_exports_permissions(client, cast, panel, role):
    """Only the municipality and the secretariat read the comparison, its CSV and PDF."""
    _eval_login(client, cast, panel, role)
    for name in ("forum:evaluation_manage", "forum:evaluation_csv"):
        response = client.get(reverse(name, args=[cast.challenge.pk]))
        if role in EVAL_RULES["comparison"]:
            assert response.status_code == 200, name
        else:
            assert _denied(response), (name, response.status_code)


@pytest.mark.parametrize("role", EVAL_ROLES)
@pytest.mark.parametrize("which", ["joint", "rival"])
def test_scoring_permissions(cast, panel, role, which):
    """Only members of this challenge's panel score, an external evaluator only the proposal
    assigned to them; nobody else's attempt leaves a review."""
    from forum.models import Review

    proposal = panel[which]
    saved = _score_attempt(_user(cast, panel, role), proposal, panel["criteria"])
    assert saved == (role in EVAL_RULES[f"score_{which}"])
    reviewers = set(
        Review.objects.filter(proposal=proposal).values_list("panel_member__user", flat=True)
    )
    if role not in EVAL_RULES[f"score_{which}"] and role != "anonymous":
        assert _user(cast, panel, role).pk not in reviewers


@pytest.mark.parametrize("role", EVAL_ROLES)
def test_panel_page_of_an_unassigned_proposal(client, cast, panel, role):
    """The panel's page of the rival proposal opens for the internal panel only: not for the
    external evaluator it is not assigned to, nor a panel member of another challenge."""
    _eval_login(client, cast, panel, role)
    response = client.get(
        reverse("forum:panel_proposal", args=[cast.challenge.pk, panel["rival"].pk])
    )
    if role in EVAL_RULES["panel_page_rival"]:
        assert response.status_code == 200
    else:
        assert _denied(response), response.status_code


@pytest.mark.parametrize("role", EVAL_ROLES)
def test_decision_permissions(client, cast, panel, role):
    """Only the challenge's municipality decides; a co-proposer, the rival, the secretariat or
    another challenge's panel member changes nothing, through the service or the page."""
    from forum.models import ProposalDecision
    from forum.services.errors import PermissionDenied

    user = _user(cast, panel, role)
    if role in EVAL_RULES["decide"]:
        assert len(_decide_all(user, cast, panel)) == 2
        return
    if user is not None:
        with pytest.raises(PermissionDenied):
            _decide_all(user, cast, panel)
    _eval_login(client, cast, panel, role)
    response = client.post(
        reverse("forum:evaluation_decide", args=[cast.challenge.pk]),
        {
            f"outcome_{panel['joint'].pk}": "selected",
            f"reason_{panel['joint'].pk}": "実現性が高い",
            f"outcome_{panel['rival'].pk}": "not_selected",
            f"reason_{panel['rival'].pk}": "費用が高い",
            f"feedback_{panel['rival'].pk}": "実績は十分でした",
        },
    )
    assert _denied(response), response.status_code
    assert not ProposalDecision.objects.exists()
    panel["joint"].refresh_from_db()
    assert panel["joint"].status == Proposal.Status.SUBMITTED


@pytest.mark.parametrize("role", EVAL_ROLES)
def test_feedback_permissions(client, cast, panel, role):
    """The rival reads its own feedback; no other company, co-proposer, evaluator or staff
    account reads it through the feedback page."""
    _decide_all(cast.reviewer, cast, panel)
    _eval_login(client, cast, panel, role)
    for which in ("rival", "joint"):
        response = client.get(reverse("forum:proposal_feedback", args=[panel[which].pk]))
        if role in EVAL_RULES[f"{which}_feedback"]:
            assert response.status_code == 200
            assert "実績は十分でした" in response.content.decode()
        else:
            assert _denied(response), (which, response.status_code)


MEMBER_PAGES_REFUSED_TO_EXTERNAL = [
    ("forum:review_list", lambda c, p: []),
    ("forum:review_challenge", lambda c, p: [c.challenge.pk]),
    ("forum:proposal_detail", lambda c, p: [p["joint"].pk]),
    ("forum:proposal_detail", lambda c, p: [p["rival"].pk]),
    ("forum:question_queue", lambda c, p: []),
    ("forum:dashboard", lambda c, p: []),
    ("forum:evaluation_pdf", lambda c, p: [c.challenge.pk]),
]


@pytest.mark.parametrize("index", range(len(MEMBER_PAGES_REFUSED_TO_EXTERNAL)))
def test_external_evaluator_sees_nothing_else_of_the_member_area(client, cast, panel, index):
    """The external evaluator reaches their panel page and nothing private besides."""
    name, args = MEMBER_PAGES_REFUSED_TO_EXTERNAL[index]
    client.force_login(panel["users"]["external"])
    response = client.get(reverse(name, args=args(cast, panel)))
    assert _denied(response), (name, response.status_code)
    assert panel["rival"].title not in response.content.decode()
