"""The data catalogue as the public reads it: the list on /opendata/ and its DCAT JSON-LD."""

from django.db.models import Count, Q
from django.utils.translation import override

from forum.models import CatalogDataset


def dataset_list_public():
    """Listed catalogue entries, with how many published challenges and public projects use each."""
    return CatalogDataset.objects.filter(is_active=True).annotate(
        challenge_count=Count("challenges", filter=Q(challenges__is_published=True), distinct=True),
        project_count=Count("projects", filter=Q(projects__is_public=True), distinct=True),
    )


def _titles(dataset: CatalogDataset) -> list[dict]:
    titles = [{"@value": dataset.name_ja, "@language": "ja"}]
    if dataset.name_en:
        titles.append({"@value": dataset.name_en, "@language": "en"})
    return titles


def dataset_catalog_jsonld(*, catalog_url: str, publisher: str, homepage: str) -> dict:
    """The catalogue as a DCAT ``dcat:Catalog`` of ``dcat:Dataset``s, in JSON-LD."""
    datasets = []
    for d in dataset_list_public():
        with override("ja"):
            licence_label = d.get_licence_display()
        entry = {
            "@id": f"{catalog_url}#dataset-{d.slug}",
            "@type": "dcat:Dataset",
            "dct:identifier": d.slug,
            "dct:title": _titles(d),
            "dct:publisher": {"@type": "foaf:Agent", "foaf:name": d.publisher},
            "dct:license": {"@id": d.licence_link, "rdfs:label": licence_label},
            "dcat:landingPage": {"@id": d.url},
            "dct:modified": {"@value": d.updated_at.isoformat(), "@type": "xsd:dateTime"},
            "dcat:distribution": [
                {
                    "@type": "dcat:Distribution",
                    "dcat:accessURL": {"@id": d.url},
                    "dct:format": fmt,
                    "dct:license": {"@id": d.licence_link},
                }
                for fmt in d.format_list
            ],
        }
        if d.description:
            entry["dct:description"] = {"@value": d.description, "@language": "ja"}
        datasets.append(entry)
    return {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
        },
        "@id": catalog_url,
        "@type": "dcat:Catalog",
        "dct:title": [
            {"@value": f"{publisher} データカタログ", "@language": "ja"},
            {"@value": "Osaka Smart City Partners Forum data catalogue", "@language": "en"},
        ],
        "dct:publisher": {"@type": "foaf:Agent", "foaf:name": publisher},
        "foaf:homepage": {"@id": homepage},
        "dcat:dataset": datasets,
    }
