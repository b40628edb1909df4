"""The Wagtail admin screens of the forum (forum/viewsets/) save through the services."""

from django.urls import reverse

import pytest

from forum.models import AuditEvent, Field, Membership, Municipality, Organisation, Technology
from forum.services import joining, memberships, organisations, reference
from forum.services.groups import municipality_group_name
from forum.services.solutions import solution_create, solution_set_published
from tests.factories import MunicipalityOrganisationFactory, UserFactory
from tests.forum.helpers import company_member, secretariat_user

pytestmark = pytest.mark.django_db


def _details(organisation: Organisation, **changes) -> dict:
    values = {
        "name": organisation.name,
        "name_kana": organisation.name_kana,
        "kind": organisation.kind,
        "municipality": organisation.municipality_id or "",
        "website": organisation.website,
        "address": organisation.address,
        "size": organisation.size,
        "description": organisation.description,
    }
    return {**values, **changes}


def test_admin_organisation_rename_reaches_the_search_index(client):
    """Renaming an organisation in the admin queues its published solutions for the index."""
    from search.models import IndexOutbox
    from search.services import index_check, outbox_apply

    member, organisation = company_member()
    solution = solution_create(
        actor=member,
        organisation=organisation,
        title="水位センサー",
        summary="見守り",
        fields=[Field.objects.first()],
    )
    solution_set_published(actor=member, solution=solution, published=True)
    outbox_apply()
    before = IndexOutbox.objects.filter(doc_type="solution", object_id=solution.pk).count()
    client.force_login(secretariat_user())

    response = client.post(
        reverse("forum_organisation:edit", args=[organisation.pk]),
        _details(organisation, name="株式会社あたらしい名前"),
    )

    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.name == "株式会社あたらしい名前"
    assert IndexOutbox.objects.filter(doc_type="solution", object_id=solution.pk).count() > before
    assert AuditEvent.objects.filter(
        verb="organisation.updated", target_id=organisation.pk
    ).exists()
    outbox_apply()
    assert index_check().total == 0


def test_admin_rename_to_a_taken_name_is_refused_with_a_message(client):
    """A name another organisation has (in another width) is refused on the form, nothing saved."""
    _member, organisation = company_member()
    _other_member, other = company_member()
    other.name = "株式会社ＡＢＣ"
    other.save()
    client.force_login(secretariat_user())

    response = client.post(
        reverse("forum_organisation:edit", args=[organisation.pk]),
        _details(organisation, name="株式会社 abc"),
    )

    assert response.status_code == 200
    assert "すでに登録されています" in response.content.decode()
    organisation.refresh_from_db()
    assert organisation.name != "株式会社 abc"


def test_admin_created_organisation_awaits_review(client):
    """An organisation added in the admin is pending, with the secretariat's audit row."""
    staff = secretariat_user()
    client.force_login(staff)
    response = client.post(
        reverse("forum_organisation:add"),
        {"name": "一般社団法人データ協会", "kind": "association", "municipality": ""},
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="一般社団法人データ協会")
    assert organisation.status == Organisation.Status.PENDING
    assert AuditEvent.objects.filter(
        verb="organisation.registered", target_id=organisation.pk, actor=staff
    ).exists()


def test_admin_membership_gives_and_takes_the_municipality_group(client):
    """A membership added in the admin gives the municipality's Wagtail group; deleting it takes it."""
    city = MunicipalityOrganisationFactory()
    person = UserFactory()
    client.force_login(secretariat_user())

    response = client.post(
        reverse("forum_membership:add"),
        {"user": person.pk, "organisation": city.pk, "role": Membership.Role.MEMBER},
    )

    assert response.status_code == 302
    group = municipality_group_name(city.municipality)
    assert person.groups.filter(name=group).exists()
    membership = Membership.objects.get(user=person, organisation=city)
    client.post(reverse("forum_membership:delete", args=[membership.pk]))
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert not person.groups.filter(name=group).exists()


def test_admin_membership_moved_to_another_organisation_moves_the_groups(client):
    """Editing a membership's organisation in the admin swaps the person's municipality group."""
    first, second = MunicipalityOrganisationFactory(), MunicipalityOrganisationFactory()
    staff = secretariat_user()
    person = UserFactory()
    from forum.services.memberships import membership_create

    membership = membership_create(actor=staff, user=person, organisation=first)
    client.force_login(staff)

    client.post(
        reverse("forum_membership:edit", args=[membership.pk]),
        {"user": person.pk, "organisation": second.pk, "role": Membership.Role.ADMIN},
    )

    names = set(person.groups.values_list("name", flat=True))
    assert municipality_group_name(second.municipality) in names
    assert municipality_group_name(first.municipality) not in names


ADMIN_WRITES = {
    "organisation_register": lambda c: organisations.organisation_register(
        actor=c.actor, name="新しい団体", kind="company"
    ),
    "organisation_update": lambda c: organisations.organisation_update(
        actor=c.actor, organisation=c.other, name="別名", kind=c.other.kind
    ),
    "organisation_delete": lambda c: organisations.organisation_delete(
        actor=c.actor, organisation=c.other
    ),
    "membership_create": lambda c: memberships.membership_create(
        actor=c.actor, user=UserFactory(), organisation=c.organisation
    ),
    "membership_update": lambda c: memberships.membership_update(
        actor=c.actor,
        membership=c.membership,
        user=c.membership.user,
        organisation=c.organisation,
        role=Membership.Role.ADMIN,
    ),
    "membership_delete": lambda c: memberships.membership_delete(
        actor=c.actor, membership=c.membership
    ),
    "join_request_update": lambda c: joining.join_request_update(
        actor=c.actor, join_request=c.join_request, message="書き換え"
    ),
    "join_request_delete": lambda c: joining.join_request_delete(
        actor=c.actor, join_request=c.join_request
    ),
    "invitation_update": lambda c: joining.invitation_update(
        actor=c.actor, invitation=c.invitation, expires_at=c.invitation.expires_at
    ),
    "invitation_delete": lambda c: joining.invitation_delete(
        actor=c.actor, invitation=c.invitation
    ),
    "field_save": lambda c: reference.field_save(actor=c.actor, name_ja="試験", slug="trial"),
    "field_delete": lambda c: reference.field_delete(
        actor=c.actor, field=Field.objects.get(slug="health")
    ),
    "technology_save": lambda c: reference.technology_save(
        actor=c.actor, name_ja="試験", slug="trial"
    ),
    "technology_delete": lambda c: reference.technology_delete(
        actor=c.actor, technology=Technology.objects.get(slug="drone")
    ),
    "municipality_update": lambda c: reference.municipality_update(
        actor=c.actor, municipality=Municipality.objects.get(code="271004"), name_en="Renamed"
    ),
}


@pytest.mark.parametrize("write", ADMIN_WRITES)
def test_admin_writes_refuse_an_organisation_admin(write):
    """Each write of the admin screens is refused to a member organisation's own admin."""
    from types import SimpleNamespace

    from forum.services.errors import PermissionDenied
    from forum.services.joining import invitation_create, join_request_create

    admin, organisation = company_member()
    _other_admin, other = company_member()
    applicant, _applicant_organisation = company_member()
    cast = SimpleNamespace(
        actor=admin,
        organisation=organisation,
        other=other,
        membership=Membership.objects.get(user=admin, organisation=organisation),
        invitation=invitation_create(actor=admin, organisation=organisation, email="x@example.jp"),
        join_request=join_request_create(user=applicant, organisation=organisation),
    )
    with pytest.raises(PermissionDenied):
        ADMIN_WRITES[write](cast)


def test_admin_technology_rename_reindexes_what_names_it(client):
    """The index stores technology names: renaming one in the admin indexes its challenges again."""
    from forum.models import Technology
    from search.services import index_check, outbox_apply
    from tests.forum.proposal_fixtures import published_challenge

    drone = Technology.objects.get(slug="drone")
    challenge = published_challenge()
    challenge.technologies.set([drone])
    outbox_apply()
    from search.services import outbox_record

    outbox_record(doc_type="challenge", object_id=challenge.pk)
    outbox_apply()
    assert index_check().total == 0
    client.force_login(secretariat_user())

    response = client.post(
        reverse("forum_technology:edit", args=[drone.pk]),
        {"name_ja": "無人航空機", "name_en": drone.name_en, "slug": drone.slug},
    )

    assert response.status_code == 302
    outbox_apply()
    assert index_check().total == 0
    assert AuditEvent.objects.filter(verb="technology.updated", target_id=drone.pk).exists()


def test_admin_field_in_use_cannot_be_deleted(client):
    """A field that challenges use is kept, with the reason shown; an unused one is deleted."""
    from tests.forum.proposal_fixtures import published_challenge

    challenge = published_challenge()
    unused = Field.objects.create(name_ja="試験", slug="trial")
    client.force_login(secretariat_user())
    client.post(reverse("forum_field:delete", args=[challenge.field_id]))
    assert Field.objects.filter(pk=challenge.field_id).exists()
    client.post(reverse("forum_field:delete", args=[unused.pk]))
    assert not Field.objects.filter(pk=unused.pk).exists()
    assert AuditEvent.objects.filter(verb="field.deleted", target_id=unused.pk).exists()


def test_admin_cannot_add_join_requests_or_invitations(client):
    """Join requests and invitations start in the member area; the admin offers no add form."""
    client.force_login(secretariat_user())
    for name in ("forum_joinrequest", "forum_invitation"):
        response = client.get(reverse(f"{name}:add"))
        assert response.status_code in (302, 403)
        assert reverse(f"{name}:add") not in client.get(reverse(f"{name}:index")).content.decode()


def test_admin_invitation_extension_is_recorded(client):
    """Extending an invitation in the admin moves its expiry with an audit row."""
    from datetime import timedelta

    from django.utils import timezone

    from forum.services.joining import invitation_create

    admin, organisation = company_member()
    invitation = invitation_create(actor=admin, organisation=organisation, email="a@example.jp")
    later = (timezone.localtime() + timedelta(days=30)).replace(microsecond=0, second=0)
    client.force_login(secretariat_user())
    client.post(
        reverse("forum_invitation:edit", args=[invitation.pk]),
        {"expires_at": later.strftime("%Y-%m-%d %H:%M")},
    )
    invitation.refresh_from_db()
    assert invitation.expires_at == later
    assert AuditEvent.objects.filter(verb="invitation.updated", target_id=invitation.pk).exists()


def test_organisation_admin_edits_details_but_not_the_kind():
    """An organisation's own admin may change its description, never its kind."""
    from forum.services.errors import PermissionDenied
    from forum.services.organisations import organisation_update

    admin, organisation = company_member()
    organisation_update(
        actor=admin,
        organisation=organisation,
        name=organisation.name,
        kind="company",
        description="紹介文",
    )
    organisation.refresh_from_db()
    assert organisation.description == "紹介文"
    with pytest.raises(PermissionDenied):
        organisation_update(
            actor=admin, organisation=organisation, name=organisation.name, kind="startup"
        )


@pytest.mark.parametrize(
    ("index", "label"),
    [
        ("forum_call:index", "公開する"),
        ("forum_dataset:index", "掲載中"),
        ("forum_field:index", "使用中"),
        ("forum_strategy_theme:index", "必要な規制緩和を記入する"),
    ],
)
def test_admin_lists_show_yes_no_columns_as_icons(client, index, label):
    """Boolean columns of the admin lists show a tick or a cross read as はい／いいえ, never the
    raw True or False."""
    from forum.models import StrategyTheme
    from tests.factories import CatalogDatasetFactory
    from tests.forum.call_fixtures import forum_call

    secretariat = secretariat_user()
    forum_call(secretariat)
    CatalogDatasetFactory()
    StrategyTheme.objects.create(slug="super-city", name_ja="スーパーシティ")
    client.force_login(secretariat)
    html = client.get(reverse(index)).content.decode()
    listing = html[html.index('<table class="listing') :]
    header = listing[: listing.index("</thead>")]
    body = listing[listing.index("<tbody") : listing.index("</tbody>")]
    assert label in header
    assert "icon-check" in body and "はい" in body
    assert "True" not in body and "False" not in body
