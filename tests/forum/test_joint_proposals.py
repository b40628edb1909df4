"""Joint proposals (共同提案): the lead invites, the co-proposer accepts, both edit the draft,
the one-live-proposal rule counts the co-proposer, and the project takes both in."""

from django.urls import reverse

import pytest

from forum.models import AuditEvent, Notification, ProjectParticipant, ProposalPartner
from forum.services.errors import PermissionDenied, ServiceError
from forum.services.proposals import (
    proposal_create,
    proposal_partner_answer,
    proposal_partner_invite,
    proposal_transition,
    proposal_update,
)
from tests.factories import OrganisationFactory
from tests.forum.helpers import member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def joint(cast):
    """A draft of the lead with an invited co-proposer university."""
    partner_org = OrganisationFactory(name="なにわ大学", kind="university")
    partner_user = member_of(partner_org, role="admin")
    proposal = cast.proposal("draft")
    invitation = proposal_partner_invite(
        actor=cast.proposer, proposal=proposal, organisation=partner_org
    )
    return {"proposal": proposal, "org": partner_org, "user": partner_user, "invite": invitation}


def test_co_proposer_accepts_then_sees_and_edits_the_draft(joint, client):
    """After accepting, the co-proposer's member reads and edits the draft like the lead."""
    user, proposal = joint["user"], joint["proposal"]
    assert Notification.objects.filter(recipient=user, verb="proposal.partner_invited").exists()
    client.force_login(user)
    assert client.get(reverse("forum:proposal_detail", args=[proposal.pk])).status_code == 404
    response = client.post(
        reverse("forum:proposal_partner", args=[joint["invite"].pk]), {"answer": "accept"}
    )
    assert response.status_code == 302
    assert client.get(reverse("forum:proposal_detail", args=[proposal.pk])).status_code == 200
    assert proposal.title in client.get(reverse("forum:proposal_list")).content.decode()
    proposal_update(actor=user, proposal=proposal, summary="大学が効果検証を担当します。")
    proposal.refresh_from_db()
    assert proposal.summary == "大学が効果検証を担当します。"
    assert AuditEvent.objects.filter(verb="proposal.partner_accepted", actor=user).exists()


def test_only_the_lead_invites_and_only_the_invited_answer(joint, cast):
    """Another company cannot invite to the lead's draft nor answer someone else's invitation."""
    with pytest.raises(PermissionDenied):
        proposal_partner_invite(
            actor=cast.other_member,
            proposal=joint["proposal"],
            organisation=OrganisationFactory(),
        )
    with pytest.raises(PermissionDenied):
        proposal_partner_answer(actor=cast.other_member, partner=joint["invite"], accept=True)
    with pytest.raises(PermissionDenied):
        proposal_partner_answer(actor=cast.proposer, partner=joint["invite"], accept=True)


def test_invited_but_not_accepted_sees_nothing(joint, client, cast):
    """An invitation alone shows the request, never the proposal; outsiders see neither."""
    client.force_login(cast.other_member)
    assert (
        client.get(reverse("forum:proposal_partner", args=[joint["invite"].pk])).status_code == 404
    )
    client.force_login(joint["user"])
    page = client.get(reverse("forum:proposal_partner", args=[joint["invite"].pk]))
    assert page.status_code == 200 and joint["proposal"].summary not in page.content.decode()


def test_co_proposer_counts_toward_one_live_proposal(joint, cast):
    """A co-proposer cannot also propose alone, nor join while it has its own live proposal."""
    proposal_partner_answer(actor=joint["user"], partner=joint["invite"], accept=True)
    with pytest.raises(ServiceError):
        proposal_create(
            actor=joint["user"],
            challenge=cast.challenge,
            organisation=joint["org"],
            title="単独の提案",
            summary="概要",
        )
    other_org = OrganisationFactory(name="株式会社べつ")
    other_user = member_of(other_org, role="admin")
    proposal_create(
        actor=other_user, challenge=cast.challenge, organisation=other_org, title="別", summary="別"
    )
    invitation = proposal_partner_invite(
        actor=cast.proposer, proposal=joint["proposal"], organisation=other_org
    )
    with pytest.raises(ServiceError):
        proposal_partner_answer(actor=other_user, partner=invitation, accept=True)
    assert ProposalPartner.objects.get(pk=invitation.pk).status == "invited"


def test_invitations_only_to_drafts_and_never_to_a_municipality(joint, cast):
    """A submitted proposal takes no new co-proposer; a municipality is never one."""
    from forum.models import Organisation

    with pytest.raises(ServiceError):
        proposal_partner_invite(
            actor=cast.proposer,
            proposal=joint["proposal"],
            organisation=Organisation.objects.filter(kind="municipality").first(),
        )
    proposal_transition(actor=cast.proposer, proposal=joint["proposal"], action="submit")
    with pytest.raises(ServiceError):
        proposal_partner_answer(actor=joint["user"], partner=joint["invite"], accept=True)


def test_project_opened_from_a_joint_proposal_includes_every_organisation(joint, cast):
    """Accepting the joint proposal brings the lead and the co-proposer into the project."""
    proposal_partner_answer(actor=joint["user"], partner=joint["invite"], accept=True)
    proposal = joint["proposal"]
    proposal_transition(actor=cast.proposer, proposal=proposal, action="submit")
    proposal_transition(actor=cast.reviewer, proposal=proposal, action="accept")
    proposal.refresh_from_db()
    roles = dict(
        ProjectParticipant.objects.filter(project=proposal.project_link.project).values_list(
            "organisation__name", "role"
        )
    )
    assert roles["なにわ大学"] == "university"
    assert roles[cast.proposer_org.name] == "company"


def test_public_result_names_every_organisation_of_a_selected_joint_proposal(joint, cast):
    """The published result lists the lead and its co-proposers."""
    from forum.selectors.evaluation import selection_public_result
    from forum.services.evaluation import (
        CriterionInput,
        DecisionInput,
        criteria_set,
        selection_decide,
        selection_publish,
    )

    criteria_set(
        actor=cast.reviewer, challenge=cast.challenge, criteria=[CriterionInput("実現性", 100)]
    )
    proposal_partner_answer(actor=joint["user"], partner=joint["invite"], accept=True)
    proposal = joint["proposal"]
    proposal_transition(actor=cast.proposer, proposal=proposal, action="submit")
    selection_decide(
        actor=cast.reviewer,
        challenge=cast.challenge,
        decisions={proposal.pk: DecisionInput("selected", "理由")},
    )
    selection_publish(actor=cast.reviewer, challenge=cast.challenge, public_reasons="理由")
    result = selection_public_result(cast.challenge)
    assert result.selected[0]["organisations"] == [cast.proposer_org.name, "なにわ大学"]
