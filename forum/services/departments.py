"""Departments (所属・局) of municipality organisations and what each owns.

The secretariat and the administrators of a municipality organisation keep its departments and
their staff. A challenge or a project names its owning department and the responsible post
(責任者); the secretariat and the staff of the owning organisation may set them.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from forum.models import Challenge, Department, Membership, Organisation, Project, User
from forum.selectors.roles import user_is_organisation_admin, user_is_secretariat
from forum.services.audit import audit_record
from forum.services.errors import PermissionDenied, ServiceError
from forum.services.text import clean_text


def _may_keep_departments(actor, organisation: Organisation) -> None:
    if user_is_secretariat(actor) or user_is_organisation_admin(actor, organisation):
        return
    raise PermissionDenied(_("所属を編集できるのは、その団体の管理者と事務局だけです。"))


def _check_staff(organisation: Organisation, staff) -> list[User]:
    """Every staff member must belong to the department's organisation."""
    staff = list(staff)
    members = set(
        Membership.objects.filter(organisation=organisation, user__in=staff).values_list(
            "user_id", flat=True
        )
    )
    outsiders = [u for u in staff if u.pk not in members]
    if outsiders:
        raise ServiceError(
            _("%(names)s は%(organisation)sのメンバーではないため、所属に加えられません。")
            % {
                "names": "、".join(u.get_username() for u in outsiders),
                "organisation": organisation.name,
            },
            code="staff_not_member",
        )
    return staff


@transaction.atomic
def department_save(
    *,
    actor,
    department: Department | None = None,
    organisation: Organisation,
    name: str,
    slug: str,
    name_en: str = "",
    sort_order: int = 100,
    staff=(),
) -> Department:
    """Add a department to a municipality organisation (the prefecture included), or change one."""
    if department is not None:
        department = Department.objects.select_for_update().get(pk=department.pk)
        if department.organisation_id != organisation.pk:
            _may_keep_departments(actor, department.organisation)
    _may_keep_departments(actor, organisation)
    if organisation.kind != Organisation.Kind.MUNICIPALITY:
        raise ServiceError(
            _("所属を持てるのは種別が「市町村」の団体（大阪府を含む）だけです。"),
            code="not_municipality",
        )
    staff = _check_staff(organisation, staff)
    department = department or Department()
    verb = "department.updated" if department.pk else "department.created"
    department.organisation = organisation
    department.name = clean_text(name, label=_("所属名"), limit=100, required=True)
    department.name_en = clean_text(name_en, label=_("所属名（英語）"), limit=150)
    department.slug = slug
    department.sort_order = sort_order
    department.full_clean()
    department.save()
    department.staff.set(staff)
    audit_record(
        actor=actor,
        verb=verb,
        target=department,
        name=department.name,
        staff=sorted(u.pk for u in staff),
    )
    return department


@transaction.atomic
def department_delete(*, actor, department: Department) -> None:
    """Delete a department; what it owned keeps its responsible post and loses the owner."""
    _may_keep_departments(actor, department.organisation)
    audit_record(actor=actor, verb="department.deleted", target=department, name=department.name)
    department.delete()


def _may_set_owner(actor, organisations: set[int]) -> None:
    if user_is_secretariat(actor):
        return
    if (
        actor.is_authenticated
        and Membership.objects.filter(
            user=actor,
            organisation_id__in=organisations,
            organisation__status=Organisation.Status.APPROVED,
        ).exists()
    ):
        return
    raise PermissionDenied(_("担当所属と責任者を設定できるのは、その団体の職員と事務局だけです。"))


def _owner_values(department, responsible_post: str, responsible_user) -> dict:
    if responsible_user is not None:
        if department is None:
            raise ServiceError(
                _("責任者のユーザーを指定するときは担当所属も指定してください。"),
                code="user_without_department",
            )
        if not Membership.objects.filter(
            organisation_id=department.organisation_id, user=responsible_user
        ).exists():
            raise ServiceError(
                _("責任者のユーザーは担当所属の団体のメンバーから選んでください。"),
                code="user_not_member",
            )
    return {
        "department": department,
        "responsible_post": clean_text(responsible_post, label=_("責任者（役職）"), limit=100),
        "responsible_user": responsible_user,
    }


def _apply_owner(actor, instance, values: dict, verb: str):
    changed = [key for key, value in values.items() if getattr(instance, key) != value]
    if not changed:
        return instance
    for key in changed:
        setattr(instance, key, values[key])
    instance.save(update_fields=[*changed, "updated_at"])
    audit_record(
        actor=actor,
        verb=verb,
        target=instance,
        department=values["department"].pk if values["department"] else None,
        responsible_post=values["responsible_post"],
        responsible_user=values["responsible_user"].pk if values["responsible_user"] else None,
    )
    return instance


@transaction.atomic
def challenge_owner_set(
    *,
    actor,
    challenge: Challenge,
    department: Department | None,
    responsible_post: str = "",
    responsible_user: User | None = None,
) -> Challenge:
    """Name the department that owns a challenge and its responsible post (責任者)."""
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    owners = {challenge.organisation_id} if challenge.organisation_id else set()
    if department is not None:
        owners.add(department.organisation_id)
        if challenge.organisation_id and department.organisation_id != challenge.organisation_id:
            raise ServiceError(
                _("課題を掲載した団体の所属を選んでください。"), code="department_elsewhere"
            )
    _may_set_owner(actor, owners)
    values = _owner_values(department, responsible_post, responsible_user)
    return _apply_owner(actor, challenge, values, "challenge.owner_set")


@transaction.atomic
def project_owner_set(
    *,
    actor,
    project: Project,
    department: Department | None,
    responsible_post: str = "",
    responsible_user: User | None = None,
) -> Project:
    """Name the department that owns a project and its responsible post (責任者).

    The department belongs to a municipality organisation of one of the project's municipalities.
    """
    project = Project.objects.select_for_update().get(pk=project.pk)
    places = set(project.municipalities.values_list("pk", flat=True))
    owners = set(
        Organisation.objects.filter(municipality_id__in=places).values_list("pk", flat=True)
    )
    if department is not None and department.organisation_id not in owners:
        raise ServiceError(
            _("プロジェクトに参加する市町村（府を含む）の所属を選んでください。"),
            code="department_elsewhere",
        )
    _may_set_owner(actor, owners)
    values = _owner_values(department, responsible_post, responsible_user)
    return _apply_owner(actor, project, values, "project.owner_set")
