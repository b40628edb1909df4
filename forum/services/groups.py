"""Wagtail admin groups follow organisation memberships; nobody assigns them by hand."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q

from forum.models import Municipality, Organisation

SECRETARIAT_GROUP = "事務局"
MUNICIPALITY_STAFF_GROUP = "市町村職員"

# Models of the forum app the secretariat manages in the admin.
SECRETARIAT_MODELS = [
    "organisation",
    "membership",
    "joinrequest",
    "invitation",
    "field",
    "technology",
    "municipality",
    "challenge",
    "solutionprofile",
    "auditevent",
    "project",
    "strategytheme",
    "catalogdataset",
]


@transaction.atomic
def groups_ensure() -> dict[str, Group]:
    """Create the role groups with their permissions; idempotent."""
    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    secretariat, _ = Group.objects.get_or_create(name=SECRETARIAT_GROUP)
    forum_perms = (
        Permission.objects.filter(content_type__app_label="forum")
        .filter(content_type__model__in=SECRETARIAT_MODELS)
        # The public bodies are official reference data: viewable, their English names editable.
        .exclude(
            content_type__model="municipality",
            codename__in=["add_municipality", "delete_municipality"],
        )
        # Projects are opened through the member area's services; the admin only curates them.
        .exclude(content_type__model="project", codename__in=["add_project", "delete_project"])
        # A theme is retired (is_active off), never deleted: it stays on what it tagged.
        .exclude(content_type__model="strategytheme", codename="delete_strategytheme")
        # A catalogue entry is taken off the list (is_active off), never deleted.
        .exclude(content_type__model="catalogdataset", codename="delete_catalogdataset")
    )
    wagtail_perms = Permission.objects.filter(
        Q(
            content_type__app_label__in=[
                "wagtailimages",
                "wagtaildocs",
                "wagtailcore",
                "wagtailredirects",
            ]
        )
        | Q(
            content_type__app_label="forum", content_type__model="user", codename__startswith="view"
        )
    )
    secretariat.permissions.add(access_admin, *forum_perms, *wagtail_perms)
    municipality, _ = Group.objects.get_or_create(name=MUNICIPALITY_STAFF_GROUP)
    municipality.permissions.add(access_admin)
    return {SECRETARIAT_GROUP: secretariat, MUNICIPALITY_STAFF_GROUP: municipality}


def municipality_group_name(municipality: Municipality) -> str:
    """The admin group of one municipality's staff; page permissions are granted to it."""
    return f"{MUNICIPALITY_STAFF_GROUP}: {municipality.name}"


def municipality_group(municipality: Municipality) -> Group:
    """The municipality's staff group, with admin access."""
    group, created = Group.objects.get_or_create(name=municipality_group_name(municipality))
    if created:
        group.permissions.add(
            Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
        )
    return group


@transaction.atomic
def user_groups_sync(*, user_id: int) -> None:
    """Add or remove the role groups a user should have from their approved memberships."""
    user = get_user_model().objects.get(pk=user_id)
    groups = groups_ensure()
    kinds = set(
        Organisation.objects.filter(
            memberships__user=user, status=Organisation.Status.APPROVED
        ).values_list("kind", flat=True)
    )
    wanted = {
        SECRETARIAT_GROUP: Organisation.Kind.SECRETARIAT in kinds,
        MUNICIPALITY_STAFF_GROUP: Organisation.Kind.MUNICIPALITY in kinds,
    }
    for name, should_have in wanted.items():
        if should_have:
            user.groups.add(groups[name])
        else:
            user.groups.remove(groups[name])
    municipalities = Municipality.objects.filter(
        organisations__memberships__user=user, organisations__status=Organisation.Status.APPROVED
    )
    wanted_names = {municipality_group_name(m) for m in municipalities}
    for group in user.groups.filter(name__startswith=f"{MUNICIPALITY_STAFF_GROUP}: "):
        if group.name not in wanted_names:
            user.groups.remove(group)
    for municipality in municipalities:
        user.groups.add(municipality_group(municipality))
