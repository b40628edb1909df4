"""Records that were public once and are not any more, for harvesters of the open data.

A program that copies the API's lists with ``updated_since`` sees what was added or changed;
this tells it what to remove: challenges taken off the site, solutions unpublished (or whose
organisation is no longer approved) and projects the secretariat made private again. Only
what was public at some point is listed, so drafts and private projects stay unknown.
"""

from datetime import datetime

from django.db import models
from django.db.models import F, Q, QuerySet, Value

from forum.models import Challenge, Organisation, Project, SolutionProfile

WITHDRAWN_TYPES = ("challenge", "solution", "project")


def _rows(queryset: QuerySet, kind: str) -> QuerySet:
    return queryset.annotate(
        type=Value(kind, output_field=models.CharField()), withdrawn_at=F("updated_at")
    ).values("type", "id", "withdrawn_at")


def withdrawal_list(*, since: datetime | None = None, kind: str = "") -> QuerySet:
    """Rows of ``type``, ``id`` and ``withdrawn_at`` (the last change), oldest first, so a
    harvester can page through them and keep the last time it saw."""
    parts = {
        "challenge": Challenge.objects.filter(is_published=False, published_at__isnull=False),
        "solution": SolutionProfile.objects.filter(published_at__isnull=False).filter(
            Q(is_published=False) | ~Q(organisation__status=Organisation.Status.APPROVED)
        ),
        "project": Project.objects.filter(is_public=False, published_at__isnull=False),
    }
    chosen = [kind] if kind in parts else list(WITHDRAWN_TYPES)
    querysets = []
    for name in chosen:
        qs = parts[name].order_by()
        if since is not None:
            qs = qs.filter(updated_at__gte=since)
        querysets.append(_rows(qs, name))
    first, *rest = querysets
    combined = first.union(*rest, all=True) if rest else first
    return combined.order_by("withdrawn_at", "type", "id")
