"""Reads about retried submissions (the writes are in forum.services.submissions)."""

from forum.models import FormSubmission


def form_submission_redirect(*, user, token: str) -> str:
    """Where the first POST with this form token led; empty while it has not answered."""
    row = FormSubmission.objects.filter(user=user, token=token).only("redirect_to").first()
    return row.redirect_to if row is not None else ""
