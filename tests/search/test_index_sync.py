from io import StringIO

from django.core.management import CommandError, call_command

import pytest

from forum.models import Challenge, Organisation
from forum.services.solutions import solution_create, solution_set_published
from search.models import IndexedDocument, IndexOutbox
from search.services import index_check, outbox_apply
from tests.forum.helpers import company_member
from tests.forum.proposal_fixtures import published_challenge

pytestmark = pytest.mark.django_db


def _indexed(doc_type: str) -> set[int]:
    return set(
        IndexedDocument.objects.filter(doc_type=doc_type).values_list("object_id", flat=True)
    )


def _publish_solution():
    from forum.models import Field

    user, organisation = company_member()
    solution = solution_create(
        actor=user,
        organisation=organisation,
        title="水位センサー",
        summary="見守り",
        fields=[Field.objects.first()],
    )
    solution_set_published(actor=user, solution=solution, published=True)
    return user, organisation, solution


def test_published_solution_reaches_index_after_commit(django_capture_on_commit_callbacks):
    """Publishing writes an outbox row in the transaction and the task indexes it after commit."""
    with django_capture_on_commit_callbacks(execute=True):
        _, _, solution = _publish_solution()
    assert solution.pk in _indexed("solution")
    assert not IndexOutbox.objects.filter(processed_at__isnull=True).exists()


def test_save_while_broker_is_down_is_kept_and_indexed_later(
    monkeypatch, django_capture_on_commit_callbacks
):
    """With the broker unreachable the write still commits; the sweep indexes it on recovery."""
    from search.tasks import index_outbox_apply

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("redis is down")

    monkeypatch.setattr(index_outbox_apply, "apply_async", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        _, _, solution = _publish_solution()
    solution.refresh_from_db()
    assert solution.is_published
    assert solution.pk not in _indexed("solution")
    assert IndexOutbox.objects.filter(
        doc_type="solution", object_id=solution.pk, processed_at__isnull=True
    ).exists()
    monkeypatch.undo()
    assert outbox_apply() >= 1
    assert solution.pk in _indexed("solution")


def test_index_failure_keeps_row_for_retry(monkeypatch):
    """If the index itself fails, the outbox row stays pending with the error."""
    from search.backends.embedded import EmbeddedBackend

    _, _, solution = _publish_solution()
    monkeypatch.setattr(
        EmbeddedBackend, "upsert", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("index down"))
    )
    outbox_apply()
    row = IndexOutbox.objects.filter(doc_type="solution", object_id=solution.pk).latest("pk")
    assert row.processed_at is None and "index down" in row.last_error


def test_unpublished_and_unapproved_never_indexed(django_capture_on_commit_callbacks):
    """Unpublishing removes a solution; a rejected organisation's solutions leave the index."""
    with django_capture_on_commit_callbacks(execute=True):
        user, organisation, solution = _publish_solution()
        solution_set_published(actor=user, solution=solution, published=False)
    assert solution.pk not in _indexed("solution")
    with django_capture_on_commit_callbacks(execute=True):
        solution_set_published(actor=user, solution=solution, published=True)
    assert solution.pk in _indexed("solution")
    Organisation.objects.filter(pk=organisation.pk).update(status="rejected")
    from forum.signals import organisation_changed

    with django_capture_on_commit_callbacks(execute=True):
        organisation_changed.send(sender=Organisation, instance_id=organisation.pk)
    assert solution.pk not in _indexed("solution")


def test_rebuild_then_check_reports_zero_differences():
    """check_index finds missing and stale entries, and none after rebuild_index."""
    challenge = published_challenge()
    draft = published_challenge(title="下書き", is_published=False)
    assert index_check().missing["challenge"] == [challenge.pk]
    with pytest.raises(CommandError, match="differences"):
        call_command("check_index", stdout=StringIO())
    out = StringIO()
    call_command("rebuild_index", stdout=out)
    assert "challenge: 1 documents indexed" in out.getvalue()
    check = StringIO()
    call_command("check_index", stdout=check)
    assert "0 differences" in check.getvalue()
    assert draft.pk not in _indexed("challenge")
    Challenge.objects.filter(pk=challenge.pk).update(title="題名を変更")
    assert index_check().stale["challenge"] == [challenge.pk]


@pytest.mark.django_db
def test_a_backdated_demo_challenge_keeps_its_index_entry_current(
    django_capture_on_commit_callbacks,
):
    """The demo moves a challenge's publication into the past; its search entry follows, so a
    fresh demo has no stale entry."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from forum.services.demo import demo_challenge_backdate
    from search.services import index_check, index_rebuild
    from tests.forum.proposal_fixtures import published_challenge

    challenge = published_challenge(title="古い課題", url="/challenges/old/")
    index_rebuild()
    with django_capture_on_commit_callbacks(execute=True):
        demo_challenge_backdate(
            challenge=challenge,
            published_at=datetime(2021, 6, 2, 12, tzinfo=ZoneInfo("Asia/Tokyo")),
        )
    assert index_check().total == 0
