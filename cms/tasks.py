"""Background work about pages: tasks take ids and call a service."""

from django.core.management import call_command

from celery import shared_task

from cms.services import challenge_pages_close_expired, municipality_space_ensure
from forum.models import Organisation


@shared_task(bind=True, max_retries=5, retry_backoff=True, acks_late=True)
def municipality_space_setup(self, organisation_id: int) -> bool:
    """Create an approved municipality's place, group and permissions (idempotent)."""
    return municipality_space_ensure(organisation_id=organisation_id) is not None


@shared_task
def municipality_spaces_sweep() -> int:
    """Make sure every approved municipality has its place, in case a task was lost."""
    ids = Organisation.objects.filter(
        kind=Organisation.Kind.MUNICIPALITY, status=Organisation.Status.APPROVED
    ).values_list("pk", flat=True)
    return sum(1 for pk in ids if municipality_space_ensure(organisation_id=pk) is not None)


@shared_task
def challenges_close_expired() -> int:
    """Close the challenges whose deadline has passed."""
    return challenge_pages_close_expired()


@shared_task
def publish_scheduled_pages() -> None:
    """Publish pages whose go-live time has come and unpublish expired ones."""
    call_command("publish_scheduled")
