"""The data catalogue: the secretariat's entries, links from challenges and projects, the list
on /opendata/ and its DCAT JSON-LD."""

import json

from django.urls import reverse

import pytest

from forum.models import AuditEvent, CatalogDataset
from forum.services.datasets import dataset_save
from forum.services.errors import PermissionDenied, ServiceError
from forum.services.projects.lifecycle import project_publication_update
from forum.services.tags import challenge_tags_set, project_tags_set

pytestmark = pytest.mark.django_db


def _orden(actor, **overrides):
    values = {
        "slug": "orden",
        "name_ja": "大阪広域データ連携基盤（ORDEN）",
        "name_en": "Osaka Regional Data Exchange Network (ORDEN)",
        "publisher": "大阪府",
        "url": "https://www.pref.osaka.lg.jp/",
        "licence": "cc-by-4.0",
        "formats": "API, JSON",
    }
    return dataset_save(actor=actor, **{**values, **overrides})


@pytest.mark.parametrize("role", ["coordinator", "municipality", "outsider", "visitor"])
def test_only_the_secretariat_keeps_the_catalogue(crew, role):
    with pytest.raises(PermissionDenied):
        _orden(crew.user(role))
    assert not CatalogDataset.objects.exists()


def test_catalogue_entry_checked_and_audited(crew):
    """A bad URL or a missing licence URL for individual terms is refused; a save is audited."""
    with pytest.raises(ServiceError, match="URL"):
        _orden(crew.secretariat, url="orden")
    with pytest.raises(ServiceError, match="利用規約のURL"):
        _orden(crew.secretariat, licence="other")
    dataset = _orden(crew.secretariat)
    assert AuditEvent.objects.get(verb="dataset.save").actor == crew.secretariat
    assert dataset.format_list == ["API", "JSON"]


def test_participants_link_listed_datasets_only(crew):
    """A project links catalogue entries; an unlisted one is refused."""
    _orden(crew.secretariat)
    _orden(crew.secretariat, slug="old", name_ja="古いデータ", is_active=False)
    with pytest.raises(ServiceError, match="old"):
        project_tags_set(actor=crew.company, project=crew.project, sdg_numbers=[], datasets=["old"])
    project_tags_set(actor=crew.company, project=crew.project, sdg_numbers=[], datasets=["orden"])
    assert [d.slug for d in crew.project.datasets.all()] == ["orden"]
    event = AuditEvent.objects.get(verb="project.tags_set")
    assert event.data["datasets"] == ["orden"]


def test_opendata_page_and_dcat_jsonld(client, crew):
    """/opendata/ lists the catalogue with uses; the JSON-LD is a dcat:Catalog of datasets."""
    _orden(crew.secretariat)
    _orden(
        crew.secretariat,
        slug="osaka-pref-opendata",
        name_ja="大阪府オープンデータ",
        name_en="Osaka Prefecture open data",
        licence="cc-by-2.1-jp",
        formats="CSV, XLSX",
    )
    _orden(crew.secretariat, slug="retired", name_ja="掲載終了のデータ", is_active=False)
    s = crew.secretariat
    project_publication_update(actor=s, project=crew.project, is_public=True, case_study="事例")
    project_tags_set(actor=s, project=crew.project, sdg_numbers=[], datasets=["orden"])
    challenge_tags_set(
        actor=s, challenge=crew.challenge, sdg_numbers=[], datasets=["osaka-pref-opendata"]
    )

    html = client.get(reverse("opendata:index")).content.decode()
    assert 'id="dataset-orden"' in html and "大阪府オープンデータ" in html
    assert "掲載終了のデータ" not in html

    response = client.get(reverse("opendata:catalog"))
    assert response["Content-Type"].startswith("application/ld+json")
    catalog = json.loads(response.content)
    assert catalog["@type"] == "dcat:Catalog"
    assert catalog["@context"]["dcat"] == "http://www.w3.org/ns/dcat#"
    assert catalog["@context"]["dct"] == "http://purl.org/dc/terms/"
    datasets = {d["dct:identifier"]: d for d in catalog["dcat:dataset"]}
    assert set(datasets) == {"orden", "osaka-pref-opendata"}
    pref = datasets["osaka-pref-opendata"]
    assert pref["@type"] == "dcat:Dataset"
    assert {"@value": "大阪府オープンデータ", "@language": "ja"} in pref["dct:title"]
    assert pref["dct:publisher"]["foaf:name"] == "大阪府"
    assert pref["dct:license"]["@id"] == "https://creativecommons.org/licenses/by/2.1/jp/"
    assert [
        (d["@type"], d["dcat:accessURL"]["@id"], d["dct:format"]) for d in pref["dcat:distribution"]
    ] == [
        ("dcat:Distribution", "https://www.pref.osaka.lg.jp/", "CSV"),
        ("dcat:Distribution", "https://www.pref.osaka.lg.jp/", "XLSX"),
    ]

    project = client.get(f"/api/v1/projects/{crew.project.pk}/").json()
    assert [d["slug"] for d in project["datasets"]] == ["orden"]
    challenge = client.get(f"/api/v1/challenges/{crew.challenge.pk}/").json()
    assert [d["slug"] for d in challenge["datasets"]] == ["osaka-pref-opendata"]
    page = client.get(reverse("projects:detail", args=[crew.project.pk])).content.decode()
    assert "大阪広域データ連携基盤（ORDEN）" in page
