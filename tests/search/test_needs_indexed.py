"""Residents' published needs in search: indexed like the other public types, never the resident."""

import json
from io import StringIO

from django.core.management import call_command
from django.urls import reverse

import pytest

from forum.models import Municipality
from forum.services.needs import need_decline, need_merge, need_publish, need_submit
from forum.services.supports import support_toggle
from search.backends.elasticsearch import ElasticsearchBackend, alias_name
from search.documents import need_document
from search.models import IndexedDocument
from search.services import index_check
from tests.forum.helpers import municipality_staff
from tests.forum.resident_fixtures import a_field, resident_of
from tests.search.fake_elasticsearch import RecordingNode, decoded, recording_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def toyonaka():
    return Municipality.objects.get(name="豊中市")


@pytest.fixture
def resident(toyonaka):
    return resident_of(toyonaka, display_name="山田太郎")


@pytest.fixture
def staff(toyonaka):
    return municipality_staff(municipality=toyonaka)


def _need(resident, title="駅前の歩道が暗い", description="夜道が不安です。街灯がほしい。"):
    return need_submit(
        actor=resident,
        title=title,
        description=description,
        field=a_field(),
        place_name="豊中駅前",
    )


def _indexed() -> set[int]:
    return set(IndexedDocument.objects.filter(doc_type="need").values_list("object_id", flat=True))


def _titles(client, query: str) -> list[str]:
    response = client.get(reverse("search:search"), {"q": query})
    return [item.entry.title for item in response.context["page_obj"].object_list]


def test_published_need_is_found_with_its_support_count(
    client, resident, staff, toyonaka, django_capture_on_commit_callbacks
):
    """Publishing indexes the need after commit; the result shows its support counted now."""
    with django_capture_on_commit_callbacks(execute=True):
        need = _need(resident)
    assert need.pk not in _indexed()
    assert "駅前の歩道が暗い" not in _titles(client, "街灯")
    with django_capture_on_commit_callbacks(execute=True):
        need_publish(actor=staff, need=need)
    assert need.pk in _indexed()
    for neighbour in (resident_of(toyonaka), resident_of(toyonaka)):
        support_toggle(actor=neighbour, need=need)
    response = client.get(reverse("search:search"), {"q": "街灯"})
    [item] = response.context["page_obj"].object_list
    assert (item.doc_type, item.entry.title) == ("need", "駅前の歩道が暗い")
    page = response.content.decode()
    assert "応援 2人" in page and reverse("residents:need_detail", args=[need.pk]) in page
    assert "山田太郎" not in page and resident.email not in page
    typed = client.get(reverse("search:search"), {"q": "街灯", "type": "need"})
    assert [i.entry.title for i in typed.context["page_obj"].object_list] == ["駅前の歩道が暗い"]


def test_unpublished_declined_and_merged_needs_are_never_found(
    client, resident, staff, django_capture_on_commit_callbacks
):
    """A waiting or declined need is never indexed; a merged one leaves the index."""
    with django_capture_on_commit_callbacks(execute=True):
        waiting = _need(resident, title="ゴミ置き場のカラス", description="カラスが荒らす。")
        declined = _need(resident, title="私道のカラス", description="カラスが多い。")
        need_decline(actor=staff, need=declined, reason="私有地のためです。")
        duplicate = need_publish(
            actor=staff, need=_need(resident, title="集積所のカラス", description="カラス対策")
        )
        kept = need_publish(actor=staff, need=_need(resident, title="公園の照明"))
    assert _indexed() == {duplicate.pk, kept.pk}
    assert _titles(client, "カラス") == ["集積所のカラス"]
    with django_capture_on_commit_callbacks(execute=True):
        need_merge(actor=staff, need=duplicate, into=kept)
    assert _indexed() == {kept.pk}
    assert _titles(client, "カラス") == []
    assert waiting.pk not in _indexed() and declined.pk not in _indexed()


def test_withdrawn_need_is_hidden_before_the_index_catches_up(client, resident, staff):
    """The database decides: a need merged a moment ago is not shown though still indexed."""
    need = need_publish(actor=staff, need=_need(resident))
    other = need_publish(
        actor=staff, need=_need(resident, title="別の困りごと", description="公園が狭い。")
    )
    call_command("rebuild_index", stdout=StringIO())
    assert _titles(client, "街灯") == ["駅前の歩道が暗い"]
    type(need).objects.filter(pk=need.pk).update(status="merged", merged_into=other)
    assert _titles(client, "街灯") == []


def test_document_holds_what_the_public_page_shows_and_no_resident(resident, staff):
    """The document is the need's public text, place, field and municipality: no author, no count."""
    need = need_publish(actor=staff, need=_need(resident))
    document = need_document(need.pk)
    assert document["title"] == "駅前の歩道が暗い"
    assert document["summary"] == "豊中駅前"
    assert document["municipalities"] == [need.municipality.code]
    assert document["fields"] == [need.field.slug]
    assert document["url"] == reverse("residents:need_detail", args=[need.pk])
    body = json.dumps(document, ensure_ascii=False)
    assert "山田太郎" not in body and resident.email not in body
    assert str(resident.pk) not in (document["url"].replace(str(need.pk), ""))
    assert "author" not in document and "support" not in body


def test_elasticsearch_request_body_for_a_need(resident, staff):
    """The need goes to the alias under need:<id>, with the same fields as the other types."""
    need = need_publish(actor=staff, need=_need(resident))
    backend = ElasticsearchBackend(client=recording_client())
    backend.upsert("need", need.pk, need_document(need.pk))
    put = RecordingNode.requests[-1]
    assert (put["method"], put["path"]) == ("PUT", f"/{alias_name()}/_doc/need%3A{need.pk}")
    sent = decoded(put)
    assert sent["doc_type"] == "need" and sent["object_id"] == need.pk
    assert sent["title"] == "駅前の歩道が暗い" and sent["summary"] == "豊中駅前"
    assert sent["description"] == "夜道が不安です。街灯がほしい。"
    assert sent["municipalities"] == [need.municipality.code]
    assert sent["technologies"] == [] and sent["technology_keys"] == []
    assert sent["url"] == reverse("residents:need_detail", args=[need.pk])
    assert "山田太郎" not in json.dumps(sent, ensure_ascii=False)
    assert resident.email not in json.dumps(sent)
    RecordingNode.responses[("DELETE", f"/{alias_name()}/_doc/")] = (404, {"result": "not_found"})
    backend.delete("need", need.pk)
    assert RecordingNode.requests[-1]["path"] == f"/{alias_name()}/_doc/need%3A{need.pk}"


def test_check_index_has_no_differences_after_rebuild(resident, staff):
    """check_index sees a published need missing, and nothing after rebuild_index."""
    need = need_publish(actor=staff, need=_need(resident))
    _need(resident, title="確認待ち")
    assert index_check().missing["need"] == [need.pk]
    out = StringIO()
    call_command("rebuild_index", stdout=out)
    assert "need: 1 documents indexed" in out.getvalue()
    check = StringIO()
    call_command("check_index", stdout=check)
    assert "0 differences" in check.getvalue()
