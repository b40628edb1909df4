import threading

from django.db import connection

import pytest

from forum.models import Proposal, ProposalEvent
from forum.services.proposals import proposal_transition


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_submit_clicks_submit_once(cast):
    """Two requests submitting the same draft at once: one submits, the other is a no-op."""
    proposal = cast.proposal("draft")
    barrier = threading.Barrier(2)
    results, errors = [], []

    def click():
        try:
            barrier.wait(timeout=10)
            results.append(
                proposal_transition(
                    actor=cast.proposer,
                    proposal=Proposal.objects.get(pk=proposal.pk),
                    action="submit",
                )
            )
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted(results) == [False, True]
    assert ProposalEvent.objects.filter(proposal=proposal, to_status="submitted").count() == 1
