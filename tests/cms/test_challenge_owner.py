"""The owning department and responsible post (責任者) of a challenge, written in the page
editor by the municipality's staff, copied to the forum's record on publishing and shown on
the public challenge page and the department's page."""

import importlib

from django.apps import apps
from django.urls import reverse
from django.utils import translation

from wagtail.models import WorkflowState
from wagtail.users.models import UserProfile

import pytest

from cms.models import ChallengePage
from forum.models import Challenge, Department
from tests.cms.factories import challenge_page, municipality_place, staff_of
from tests.cms.test_authoring import _add_url, _form
from tests.factories import listed_and_retired_datasets
from tests.forum.helpers import secretariat_user

pytestmark = pytest.mark.django_db

SAKAI, SUITA = "271403", "272051"
REFUSED_JA = "担当所属は、この課題の市町村（府）の所属・局から選んでください。"
REFUSED_EN = "Choose the owning department among the departments of this challenge's municipality"


@pytest.fixture
def departments(site):
    """堺市 危機管理室 and 吹田市 都市計画部, each of its own municipality organisation."""
    sakai, _ = municipality_place(SAKAI)
    suita, _ = municipality_place(SUITA)
    return {
        "sakai": Department.objects.create(
            organisation=sakai, name="危機管理室", name_en="Crisis Management", slug="sakai-crisis"
        ),
        "suita": Department.objects.create(
            organisation=suita, name="都市計画部", slug="suita-planning"
        ),
    }


def test_editor_offers_only_the_municipality_departments(client, departments):
    """Sakai's staff see Sakai's departments in the editor, never Suita's."""
    _, index = municipality_place(SAKAI)
    client.force_login(staff_of(SAKAI))
    html = client.get(_add_url(index)).content.decode()
    assert "危機管理室" in html and "責任者（役職）" in html
    assert "都市計画部" not in html


def test_department_of_another_municipality_is_refused_with_a_message(client, departments):
    """Posting Suita's department on a Sakai challenge says why, and saves nothing."""
    _, index = municipality_place(SAKAI)
    client.force_login(staff_of(SAKAI))
    response = client.post(
        _add_url(index),
        _form(
            "他市の所属を選んだ課題", department=departments["suita"].pk, **{"action-submit": "x"}
        ),
    )
    assert response.status_code == 200
    assert REFUSED_JA in response.content.decode()
    assert not ChallengePage.objects.filter(title="他市の所属を選んだ課題").exists()


def test_refusal_reads_in_english_for_an_english_editor(client, departments):
    """An editor who reads the admin in English gets the same rule in English."""
    _, index = municipality_place(SAKAI)
    staff = staff_of(SAKAI)
    profile = UserProfile.get_for_user(staff)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(staff)
    response = client.post(
        _add_url(index),
        _form("English editor", department=departments["suita"].pk, **{"action-submit": "x"}),
    )
    assert response.status_code == 200
    assert REFUSED_EN in response.content.decode().replace("&#x27;", "'")


def test_model_refuses_a_department_of_another_municipality(departments):
    """A page saved by code (not the editor) is held to the same rule."""
    from django.core.exceptions import ValidationError

    page = challenge_page(SAKAI, title="堺市の課題")
    page.department = departments["suita"]
    with translation.override("ja"), pytest.raises(ValidationError) as error:
        page.full_clean()
    assert REFUSED_JA in str(error.value)


def _submit_and_approve(client, django_capture_on_commit_callbacks, department, post):
    _, index = municipality_place(SAKAI)
    client.force_login(staff_of(SAKAI))
    response = client.post(
        _add_url(index),
        _form(
            "ため池の水位を見守りたい",
            department=department.pk,
            responsible_post=post,
            **{"action-submit": "Submit"},
        ),
    )
    assert response.status_code == 302
    page = ChallengePage.objects.get(title="ため池の水位を見守りたい")
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(page.pk))
    client.force_login(secretariat_user())
    approve = reverse(
        "wagtailadmin_pages:workflow_action", args=[page.pk, "approve", state.current_task_state.pk]
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(approve, {"comment": ""})
    client.logout()
    page.refresh_from_db()
    assert page.live
    return page


def test_owner_written_in_editor_reaches_record_and_public_pages(
    client, departments, django_capture_on_commit_callbacks
):
    """Staff name 危機管理室 and the post; once approved, the record, the challenge page and
    the department's page show them."""
    department = departments["sakai"]
    page = _submit_and_approve(
        client, django_capture_on_commit_callbacks, department, "危機管理室 防災担当課長"
    )
    record = Challenge.objects.get(page_id=page.pk)
    assert (record.department, record.responsible_post) == (department, "危機管理室 防災担当課長")
    html = client.get(page.url).content.decode()
    assert 'id="owning-department"' in html and "/departments/sakai-crisis/" in html
    assert "堺市 危機管理室" in html and "危機管理室 防災担当課長" in html
    listing = client.get(reverse("departments:detail", args=["sakai-crisis"])).content.decode()
    assert "ため池の水位を見守りたい" in listing and "危機管理室 防災担当課長" in listing


def test_republishing_changes_or_clears_the_record_owner(departments):
    """The page is the owner's one source: a new published revision changes the record, and
    clearing the department in the editor clears it on the record."""
    page = challenge_page(SAKAI, title="避難所の混雑を知らせたい")
    page.department = departments["sakai"]
    page.responsible_post = "危機管理室長"
    page.save_revision().publish()
    record = Challenge.objects.get(page_id=page.pk)
    assert (record.department, record.responsible_post) == (departments["sakai"], "危機管理室長")
    page = ChallengePage.objects.get(pk=page.pk)
    page.department = None
    page.responsible_post = ""
    page.save_revision().publish()
    record.refresh_from_db()
    assert (record.department, record.responsible_post) == (None, "")
    html_page = ChallengePage.objects.get(pk=page.pk)
    assert html_page.department is None


def test_migration_carries_record_owners_onto_pages_and_revisions(departments):
    """Owners named on records before the editor had the fields are copied to the page and to
    its latest revision, so the next publication keeps them."""
    page = challenge_page(SAKAI, title="既存の課題")
    Challenge.objects.filter(page_id=page.pk).update(
        department=departments["sakai"], responsible_post="危機管理室長"
    )
    migration = importlib.import_module("cms.migrations.0005_challenge_page_owning_department")
    migration.owners_from_records(apps, None)
    page = ChallengePage.objects.get(pk=page.pk)
    assert (page.department, page.responsible_post) == (departments["sakai"], "危機管理室長")
    latest = page.get_latest_revision_as_object()
    assert (latest.department_id, latest.responsible_post) == (
        departments["sakai"].pk,
        "危機管理室長",
    )
    latest.save_revision().publish()
    record = Challenge.objects.get(page_id=page.pk)
    assert (record.department_id, record.responsible_post) == (
        departments["sakai"].pk,
        "危機管理室長",
    )


def test_challenge_page_shows_its_strategy_tags(
    client, departments, django_capture_on_commit_callbacks
):
    """The public page names the challenge's SDGs, strategy themes (with the regulatory relief
    asked for) and listed datasets, each a link to the challenge list narrowed to it; an
    unlisted dataset is not shown."""
    from forum.models import StrategyTheme
    from forum.services.tags import challenge_tags_set

    page = _submit_and_approve(
        client, django_capture_on_commit_callbacks, departments["sakai"], "防災担当課長"
    )
    record = Challenge.objects.get(page_id=page.pk)
    StrategyTheme.objects.create(slug="tokku", name_ja="国家戦略特区", asks_regulatory_relief=True)
    listed, retired = listed_and_retired_datasets()
    record.datasets.add(listed, retired)
    challenge_tags_set(
        actor=secretariat_user(),
        challenge=record,
        sdg_numbers=[11],
        themes={"tokku": "ドローンの目視外飛行"},
    )
    html = client.get(page.url).content.decode()
    assert 'id="challenge-tags"' in html and "/challenges/?sdg=11" in html
    assert "/challenges/?theme=tokku" in html and "ドローンの目視外飛行" in html
    assert "/challenges/?dataset=orden" in html and "廃止したデータ" not in html
