"""Departments (所属・局): who keeps them, who names an owner, what each reader of a department's
page sees, the prefecture as a municipality organisation, and lists narrowed by department."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

import pytest

from forum.forms.organisations import OrganisationApplicationForm
from forum.models import (
    AuditEvent,
    Challenge,
    Department,
    Field,
    Municipality,
    Organisation,
    Project,
    ProjectMilestone,
)
from forum.selectors.challenges import ChallengeFilters, challenge_list_filtered
from forum.selectors.dashboard import dashboard_figures
from forum.selectors.projects.lists import project_list_public
from forum.services.departments import (
    challenge_owner_set,
    department_delete,
    department_save,
    project_owner_set,
)
from forum.services.errors import PermissionDenied, ServiceError
from tests.factories import MunicipalityOrganisationFactory, OrganisationFactory
from tests.forum.helpers import (
    company_member,
    member_of,
    municipality_staff,
    secretariat_user,
    signed_in_with_mfa,
)
from tests.forum.resident_fixtures import resident_of

pytestmark = pytest.mark.django_db

OSAKA_CITY, PREFECTURE, SAKAI = "271004", "270008", "271403"


@pytest.fixture
def city():
    """大阪市 as an organisation with an administrator and a plain member."""
    municipality = Municipality.objects.get(code=OSAKA_CITY)
    admin = municipality_staff(municipality=municipality)
    organisation = admin.memberships.get().organisation
    return {
        "organisation": organisation,
        "admin": admin,
        "member": member_of(organisation),
        "municipality": municipality,
    }


@pytest.fixture
def digital(city):
    """デジタル統括室 of 大阪市, with its plain member as staff."""
    return department_save(
        actor=secretariat_user(),
        organisation=city["organisation"],
        name="デジタル統括室",
        name_en="Digital Transformation Bureau",
        slug="osaka-city-digital",
        staff=[city["member"]],
    )


def _project(title, municipality, *, public, department=None, stage="poc", days=10):
    project = Project.objects.create(
        title=title,
        field=Field.objects.get(slug="safety"),
        stage=stage,
        is_public=public,
        case_study="事例" if public else "",
        department=department,
        created_at=timezone.now() - timedelta(days=days),
    )
    project.municipalities.set([municipality])
    return project


def _challenge(title, municipality, organisation, *, published=True, department=None):
    return Challenge.objects.create(
        title=title,
        summary="s",
        municipality=municipality,
        organisation=organisation,
        field=Field.objects.get(slug="safety"),
        is_published=published,
        published_at=timezone.now(),
        department=department,
    )


# --- the prefecture ------------------------------------------------------------------------------


def test_prefecture_can_apply_as_municipality_organisation():
    """大阪府 is offered in the application form, so its bureaus can post challenges."""
    prefecture = Municipality.objects.get(code=PREFECTURE)
    form = OrganisationApplicationForm(
        data={"name": "大阪府", "kind": "municipality", "municipality": prefecture.pk}
    )
    assert prefecture in form.fields["municipality"].queryset
    assert form.is_valid(), form.errors


def test_prefecture_organisation_keeps_departments():
    """The prefecture's own organisation has its bureaus (スマートシティ戦略部)."""
    prefecture = Municipality.objects.get(code=PREFECTURE)
    organisation = MunicipalityOrganisationFactory(municipality=prefecture, name="大阪府")
    department = department_save(
        actor=secretariat_user(),
        organisation=organisation,
        name="スマートシティ戦略部",
        slug="osaka-pref-smartcity",
    )
    assert department.organisation.municipality.kind == Municipality.Kind.PREFECTURE


# --- keeping departments ----------------------------------------------------------------------------


def test_organisation_admin_adds_department_and_it_is_audited(city):
    """The municipality's administrator adds 建設局; the audit trail names who."""
    department = department_save(
        actor=city["admin"], organisation=city["organisation"], name="建設局", slug="osaka-kensetsu"
    )
    event = AuditEvent.objects.get(verb="department.created", target_id=department.pk)
    assert event.actor == city["admin"]


@pytest.mark.parametrize("who", ["plain_member", "other_municipality", "company"])
def test_department_refused_to_everyone_else(city, who):
    """A plain member, another municipality's admin and a company may not keep departments."""
    actor = {
        "plain_member": lambda: city["member"],
        "other_municipality": lambda: municipality_staff(
            municipality=Municipality.objects.get(code=SAKAI)
        ),
        "company": lambda: company_member()[0],
    }[who]()
    with pytest.raises(PermissionDenied):
        department_save(
            actor=actor, organisation=city["organisation"], name="建設局", slug="osaka-kensetsu"
        )
    assert not Department.objects.exists()


def test_department_only_for_municipality_organisations():
    """A company has no departments."""
    with pytest.raises(ServiceError):
        department_save(
            actor=secretariat_user(), organisation=OrganisationFactory(), name="営業部", slug="x"
        )


def test_staff_must_belong_to_the_organisation(city):
    """A user of another organisation cannot be put on the department's staff."""
    outsider, _organisation = company_member()
    with pytest.raises(ServiceError) as error:
        department_save(
            actor=city["admin"],
            organisation=city["organisation"],
            name="建設局",
            slug="osaka-kensetsu",
            staff=[outsider],
        )
    assert "メンバーではない" in error.value.message


def test_department_delete_keeps_projects(city, digital):
    """Deleting a department leaves its projects without an owner, nothing else lost."""
    project = _project("p", city["municipality"], public=True, department=digital)
    department_delete(actor=city["admin"], department=digital)
    project.refresh_from_db()
    assert project.department is None


def test_department_delete_refused_to_plain_member(city, digital):
    with pytest.raises(PermissionDenied):
        department_delete(actor=city["member"], department=digital)


# --- owners ------------------------------------------------------------------------------------------


def test_staff_names_project_owner_and_responsible_post(city, digital):
    """Staff of the municipality set the owning department and the 責任者; it is audited."""
    project = _project("p", city["municipality"], public=True)
    project_owner_set(
        actor=city["member"],
        project=project,
        department=digital,
        responsible_post="スマートシティ担当課長",
        responsible_user=city["admin"],
    )
    project.refresh_from_db()
    assert (project.department, project.responsible_post, project.responsible_user) == (
        digital,
        "スマートシティ担当課長",
        city["admin"],
    )
    assert AuditEvent.objects.filter(verb="project.owner_set", target_id=project.pk).exists()


def test_project_owner_refused_outside_its_municipalities(city, digital):
    """A department of a municipality the project does not include cannot own it."""
    project = _project("p", Municipality.objects.get(code=SAKAI), public=True)
    with pytest.raises(ServiceError):
        project_owner_set(actor=secretariat_user(), project=project, department=digital)


def test_project_owner_refused_to_company(city, digital):
    project = _project("p", city["municipality"], public=True)
    with pytest.raises(PermissionDenied):
        project_owner_set(actor=company_member()[0], project=project, department=digital)


def test_responsible_user_must_be_of_the_department_organisation(city, digital):
    project = _project("p", city["municipality"], public=True)
    with pytest.raises(ServiceError):
        project_owner_set(
            actor=city["admin"],
            project=project,
            department=digital,
            responsible_user=company_member()[0],
        )


def test_challenge_owner_set_by_staff_refused_to_other_municipality(city, digital):
    challenge = _challenge("c", city["municipality"], city["organisation"])
    challenge_owner_set(
        actor=city["member"], challenge=challenge, department=digital, responsible_post="室長"
    )
    challenge.refresh_from_db()
    assert challenge.department == digital
    other = municipality_staff(municipality=Municipality.objects.get(code=SAKAI))
    with pytest.raises(PermissionDenied):
        challenge_owner_set(actor=other, challenge=challenge, department=None)


# --- the department's page -----------------------------------------------------------------------


@pytest.fixture
def owned(city, digital):
    """A published and a draft challenge, a public project and a stale private one with a due milestone."""
    _challenge("公開の課題", city["municipality"], city["organisation"], department=digital)
    _challenge(
        "非公開の課題",
        city["municipality"],
        city["organisation"],
        published=False,
        department=digital,
    )
    _project("公開プロジェクト", city["municipality"], public=True, department=digital)
    stale = _project(
        "非公開の滞っているプロジェクト",
        city["municipality"],
        public=False,
        department=digital,
        days=200,
    )
    ProjectMilestone.objects.create(
        project=stale, title="中間報告の提出", due_on=timezone.localdate() + timedelta(days=5)
    )
    return digital


PRIVATE_PARTS = (
    "非公開の課題",
    "非公開の滞っているプロジェクト",
    "中間報告の提出",
    'id="stale"',
    'id="due"',
)


def _page(client, department):
    response = client.get(reverse("departments:detail", args=[department.slug]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("who", ["anonymous", "company", "other_municipality", "resident"])
def test_department_page_hides_internals_from_outsiders(client, owned, who):
    """Visitors, members, another municipality's staff and a resident of the department's own
    city see only the public challenge and project."""
    if who == "company":
        client.force_login(company_member()[0])
    elif who == "other_municipality":
        signed_in_with_mfa(
            client, municipality_staff(municipality=Municipality.objects.get(code=SAKAI))
        )
    elif who == "resident":
        client.force_login(resident_of(Municipality.objects.get(code=OSAKA_CITY)))
    html = _page(client, owned)
    assert "公開の課題" in html and "公開プロジェクト" in html
    for part in PRIVATE_PARTS:
        assert part not in html


@pytest.mark.parametrize("who", ["staff", "secretariat"])
def test_department_page_shows_everything_to_staff_and_secretariat(client, city, owned, who):
    """Its organisation's staff and the secretariat see the private, the stale and the due."""
    user = city["member"] if who == "staff" else secretariat_user()
    signed_in_with_mfa(client, user)
    html = _page(client, owned)
    for part in PRIVATE_PARTS:
        assert part in html
    assert "公開の課題" in html
    due = timezone.localdate() + timedelta(days=5)
    assert f"{due.year}年{due.month}月{due.day}日" in html  # the site's date form, not ISO
    # Only the secretariat is sent on to its dashboard, which staff could not open.
    assert ("/member/dashboard/?department=" in html) == (who == "secretariat")


def test_unknown_department_is_404(client):
    assert client.get(reverse("departments:detail", args=["nowhere"])).status_code == 404


# --- narrowing lists and dashboards ---------------------------------------------------------------


def test_dashboard_narrowed_by_department(city, owned):
    """Only what the department owns is counted; the rest of the forum is left out."""
    _project("他の所属", city["municipality"], public=True)
    whole = dashboard_figures(public=False)
    narrowed = dashboard_figures(public=False, department_id=owned.pk)
    public = dashboard_figures(public=True, department_id=owned.pk)
    assert (whole.project_count, narrowed.project_count, public.project_count) == (3, 2, 1)
    assert narrowed.table("funnel").text_rows[0] == ["課題（公開中）", "1"]


def test_dashboard_page_and_csv_read_department(client, owned):
    url = reverse("dashboard:public")
    html = client.get(url, {"department": owned.slug}).content.decode()
    assert 'id="department-scope"' in html
    response = client.get(reverse("dashboard:csv", args=["funnel"]), {"department": owned.slug})
    assert owned.slug in response["Content-Disposition"]
    # An unknown slug shows the whole forum rather than an error.
    assert client.get(url, {"department": "nowhere"}).status_code == 200


def test_project_and_challenge_lists_narrowed_by_department(client, city, owned):
    _project("他の所属", city["municipality"], public=True)
    titles = [p.title for p in project_list_public(department=owned.slug)]
    assert titles == ["公開プロジェクト"]
    html = client.get(reverse("projects:list"), {"department": owned.slug}).content.decode()
    assert "公開プロジェクト" in html and "他の所属" not in html
    challenges = challenge_list_filtered(ChallengeFilters.from_query({"department": owned.slug}))
    assert [c.title for c in challenges] == ["公開の課題"]


def test_organisation_kinds_unchanged():
    """Departments add no organisation kind: the prefecture registers as a municipality."""
    assert "prefecture" not in Organisation.Kind.values


# --- the project's owner on its management page -------------------------------------------------


@pytest.fixture
def sakai_departments(crew):
    """Two departments of 堺市 (the crew's project's municipality) and one of 吹田市."""
    suita = Organisation.objects.get(municipality__code="272051")
    return {
        "crisis": Department.objects.create(
            organisation=crew.municipality_org, name="危機管理室", slug="sakai-crisis"
        ),
        "parks": Department.objects.create(
            organisation=crew.municipality_org, name="公園緑化部", slug="sakai-parks"
        ),
        "suita": Department.objects.create(
            organisation=suita, name="都市計画部", slug="suita-plan"
        ),
    }


def _owner_post(client, project, department, post="危機管理室長"):
    return client.post(
        reverse("forum:project_owner", args=[project.pk]),
        {"owner-department": department.pk if department else "", "owner-responsible_post": post},
    )


@pytest.mark.parametrize("who", ["municipality", "secretariat"])
def test_municipality_staff_and_secretariat_name_the_project_owner(
    client, crew, sakai_departments, who
):
    """The form on the management page offers 堺市's departments and saves the owner."""
    signed_in_with_mfa(client, crew.user(who))
    html = client.get(reverse("forum:project_manage", args=[crew.project.pk])).content.decode()
    assert 'id="owner-form"' in html and "公園緑化部" in html and "都市計画部" not in html
    response = _owner_post(client, crew.project, sakai_departments["crisis"])
    assert response.status_code == 302
    crew.project.refresh_from_db()
    assert (crew.project.department, crew.project.responsible_post) == (
        sakai_departments["crisis"],
        "危機管理室長",
    )
    assert AuditEvent.objects.filter(verb="project.owner_set", target_id=crew.project.pk).exists()
    page = client.get(reverse("forum:project_manage", args=[crew.project.pk])).content.decode()
    assert "/departments/sakai-crisis/" in page


@pytest.mark.parametrize("who", ["coordinator", "company", "university"])
def test_member_companies_cannot_name_the_project_owner(client, crew, sakai_departments, who):
    """Participants that are not the municipality get no form and a refusal if they post."""
    signed_in_with_mfa(client, crew.user(who))
    html = client.get(reverse("forum:project_manage", args=[crew.project.pk])).content.decode()
    assert 'id="owner-form"' not in html
    response = _owner_post(client, crew.project, sakai_departments["crisis"])
    assert response.status_code == 403
    crew.project.refresh_from_db()
    assert crew.project.department is None and crew.project.responsible_post == ""


@pytest.mark.parametrize("who", ["outsider", "other_municipality", "visitor"])
def test_outsiders_cannot_reach_the_project_owner_form(client, crew, sakai_departments, who):
    signed_in_with_mfa(client, crew.user(who))
    assert _owner_post(client, crew.project, sakai_departments["crisis"]).status_code == 404
    crew.project.refresh_from_db()
    assert crew.project.department is None


def test_department_of_another_municipality_is_refused_on_the_project(
    client, crew, sakai_departments
):
    """吹田市's department is not offered, and posting it says which departments may own it."""
    signed_in_with_mfa(client, crew.municipality)
    response = _owner_post(client, crew.project, sakai_departments["suita"])
    assert response.status_code == 200
    assert (
        "プロジェクトに参加する市町村（府を含む）の所属を選んでください。"
        in response.content.decode()
    )
    crew.project.refresh_from_db()
    assert crew.project.department is None


def test_public_project_page_names_its_owner(client, crew, sakai_departments):
    project_owner_set(
        actor=crew.secretariat,
        project=crew.project,
        department=sakai_departments["parks"],
        responsible_post="公園緑化部長",
    )
    Project.objects.filter(pk=crew.project.pk).update(is_public=True, case_study="事例")
    html = client.get(reverse("projects:detail", args=[crew.project.pk])).content.decode()
    assert 'id="project-owner"' in html and "公園緑化部長" in html
    assert "/departments/sakai-parks/" in html


def test_api_records_name_the_owner(client, owned, settings):
    """Open data says which department owns a published challenge and a public project, and
    the responsible post, with the department's slug for /departments/<slug>/."""
    Challenge.objects.filter(title="公開の課題").update(responsible_post="デジタル統括室長")
    Project.objects.filter(title="公開プロジェクト").update(responsible_post="担当課長")
    [challenge] = client.get("/api/v1/challenges/", {"department": owned.slug}).json()["results"]
    assert challenge["department"] == {
        "slug": "osaka-city-digital",
        "name": "デジタル統括室",
        "organisation": "大阪市",
    }
    assert challenge["responsible_post"] == "デジタル統括室長"
    [project] = client.get("/api/v1/projects/", {"department": owned.slug}).json()["results"]
    assert (project["department"]["slug"], project["responsible_post"]) == (
        "osaka-city-digital",
        "担当課長",
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/api/v1/challenges/", {"department": owned.slug}).json()
    assert english["results"][0]["department"]["name"] == "Digital Transformation Bureau"


def test_department_names_follow_the_visitor_language(db):
    """On the English site a department is named by its place's English name and its own
    English name; in Japanese by the organisation's name."""
    from django.utils import translation

    from forum.models import Department, Municipality, Organisation

    osaka = Municipality.objects.get(code="271004")
    city = Organisation.objects.create(
        name="大阪市", kind=Organisation.Kind.MUNICIPALITY, municipality=osaka
    )
    department = Department.objects.create(
        organisation=city, name="建設局", name_en="Construction Bureau", slug="osaka-kensetsu"
    )
    with translation.override("ja"):
        assert str(department) == "大阪市 建設局"
    with translation.override("en"):
        assert str(department) == f"{osaka.name_en} Construction Bureau"
