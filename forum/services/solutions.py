"""Solution profiles: create, edit, publish, unpublish, attach files."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.models import Organisation, SolutionAttachment, SolutionProfile
from forum.selectors.roles import user_can_act_for
from forum.services.audit import audit_record
from forum.services.errors import PermissionDenied, ServiceError
from forum.services.files import attachment_add
from forum.signals import solution_changed

SIMPLE_FIELDS = (
    "title",
    "summary",
    "description",
    "stage",
    "track_record",
    "price_range",
    "language",
)
RELATED_FIELDS = ("fields", "technologies", "track_record_municipalities")


def _require_member(actor, organisation: Organisation) -> None:
    if not user_can_act_for(actor, organisation):
        raise PermissionDenied(_("承認済みの所属団体のソリューションのみ編集できます。"))


def _apply(solution: SolutionProfile, data: dict) -> None:
    for name in SIMPLE_FIELDS:
        if name in data:
            setattr(
                solution,
                name,
                (data[name] or "").strip() if isinstance(data[name], str) else data[name],
            )
    if not solution.title:
        raise ServiceError(_("名称を入力してください。"))
    if not solution.summary:
        raise ServiceError(_("概要を入力してください。"))


def _changed(solution: SolutionProfile) -> None:
    solution_changed.send(sender=SolutionProfile, instance_id=solution.pk)


@transaction.atomic
def solution_create(*, actor, organisation: Organisation, **data) -> SolutionProfile:
    """Create a draft solution profile for one of the actor's organisations."""
    _require_member(actor, organisation)
    solution = SolutionProfile(organisation=organisation)
    _apply(solution, data)
    solution.save()
    for name in RELATED_FIELDS:
        if name in data:
            getattr(solution, name).set(data[name])
    audit_record(actor=actor, verb="solution.created", target=solution)
    _changed(solution)
    return solution


@transaction.atomic
def solution_update(*, actor, solution: SolutionProfile, **data) -> SolutionProfile:
    """Edit a solution profile; a published one stays published with the new text."""
    solution = SolutionProfile.objects.select_for_update().get(pk=solution.pk)
    _require_member(actor, solution.organisation)
    _apply(solution, data)
    solution.save()
    for name in RELATED_FIELDS:
        if name in data:
            getattr(solution, name).set(data[name])
    audit_record(actor=actor, verb="solution.updated", target=solution)
    _changed(solution)
    return solution


@transaction.atomic
def solution_set_published(*, actor, solution: SolutionProfile, published: bool) -> bool:
    """Publish or unpublish; returns False when nothing changed."""
    solution = SolutionProfile.objects.select_for_update().get(pk=solution.pk)
    _require_member(actor, solution.organisation)
    if solution.is_published == published:
        return False
    if published and not solution.fields.exists():
        raise ServiceError(_("公開するには分野を1つ以上選んでください。"))
    solution.is_published = published
    if published and solution.published_at is None:
        solution.published_at = timezone.now()
    solution.save(update_fields=["is_published", "published_at", "updated_at"])
    audit_record(
        actor=actor,
        verb="solution.published" if published else "solution.unpublished",
        target=solution,
    )
    _changed(solution)
    return True


@transaction.atomic
def solution_attachment_add(*, actor, solution: SolutionProfile, upload) -> SolutionAttachment:
    """Attach a checked brochure or case study."""
    _require_member(actor, solution.organisation)
    return attachment_add(
        solution.attachments,
        upload=upload,
        actor=actor,
        limit=10,
        full=_("添付できる資料は%(n)s件までです。"),
    )
