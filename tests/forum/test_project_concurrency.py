import threading

from django.db import connection

import pytest

from forum.models import Project, ProjectProposal, ProjectStageChange, Proposal
from forum.services.proposals import proposal_create, proposal_transition
from tests.factories import OrganisationFactory
from tests.forum.helpers import member_of


def _at_once(calls):
    """Run the calls in threads (each with its own database connection) released together."""
    barrier = threading.Barrier(len(calls))
    results, errors = [], []

    def run(call):
        try:
            barrier.wait(timeout=10)
            results.append(call())
        except Exception as exc:  # surfaced by the caller
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results, errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_accepts_open_one_project(cast):
    """Two reviewers' clicks accepting the same proposal at once: one project, one link, one start."""
    proposal = cast.proposal("shortlisted")

    def accept():
        return proposal_transition(
            actor=cast.reviewer, proposal=Proposal.objects.get(pk=proposal.pk), action="accept"
        )

    results, errors = _at_once([accept, accept])
    assert errors == []
    assert sorted(results) == [False, True]
    assert Project.objects.count() == 1
    assert ProjectProposal.objects.filter(proposal=proposal).count() == 1
    assert ProjectStageChange.objects.filter(to_stage="matched").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_joins_both_land_in_the_project(cast):
    """Two proposals accepted into the same project at once both join it; no second project appears."""
    cast.proposal("accepted")
    project = Project.objects.get()
    proposals = []
    for name in ("株式会社ひとつめ", "株式会社ふたつめ"):
        organisation = OrganisationFactory(name=name)
        proposer = member_of(organisation, role="admin")
        proposal = proposal_create(
            actor=proposer,
            challenge=cast.challenge,
            organisation=organisation,
            title=name,
            summary="提案",
        )
        proposal_transition(actor=proposer, proposal=proposal, action="submit")
        proposals.append(proposal)

    def join(proposal):
        return lambda: proposal_transition(
            actor=cast.reviewer,
            proposal=Proposal.objects.get(pk=proposal.pk),
            action="accept",
            project_id=project.pk,
        )

    results, errors = _at_once([join(p) for p in proposals])
    assert errors == []
    assert results == [True, True]
    assert Project.objects.count() == 1
    assert project.proposal_links.count() == 3
    assert project.participants.count() == 4
