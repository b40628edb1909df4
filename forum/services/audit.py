"""Recording who changed what."""

from django.db import models

from forum.models import AuditEvent


def audit_record(*, actor, verb: str, target: models.Model, **data) -> AuditEvent:
    """Write one history row for ``target``."""
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        verb=verb,
        target_type=target._meta.label_lower,
        target_id=target.pk,
        data=data,
    )
