"""Recording who changed what."""

from django.db import models

from forum.models import AuditEvent
from forum.page_cache import page_cache_bump_after_commit


def audit_record(*, actor, verb: str, target: models.Model, **data) -> AuditEvent:
    """Write one history row for ``target``.

    Every audited write may change what a public page shows (an answer published, a result,
    a need, a KPI approved…), so it also drops the anonymous page cache once it commits."""
    page_cache_bump_after_commit()
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        verb=verb,
        target_type=target._meta.label_lower,
        target_id=target.pk,
        data=data,
    )
