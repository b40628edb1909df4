"""Who may fetch the CMS's files: documents at /documents/<id>/<name>, images under /media/."""

import json

from django.core.files.base import ContentFile
from django.urls import reverse

from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection, PageViewRestriction

import pytest

from cms.models import ChallengeAttachment, StandardPage
from tests.cms.factories import challenge_page, municipality_place, staff_of
from tests.forum.helpers import company_member, secretariat_user

pytestmark = pytest.mark.django_db

SAKAI, SUITA = "271403", "272051"
PDF = b"%PDF-1.4\n% forum test document\n"


def _collection_of(code: str) -> Collection:
    """The municipality's collection, where its staff's uploads go."""
    _organisation, index = municipality_place(code)
    return Collection.objects.get(name=index.municipality.name)


def _document(name: str = "説明資料.pdf", *, collection: Collection | None = None) -> Document:
    document = Document(title=name, file=ContentFile(PDF, name=name))
    document.collection = collection or _collection_of(SAKAI)
    document.save()
    return document


def _image(name: str = "現場写真.png", *, collection: Collection | None = None) -> Image:
    image = Image(title=name, file=get_test_image_file(name))
    image.collection = collection or _collection_of(SAKAI)
    image.save()
    return image


def _image_body(image: Image) -> str:
    block = {"image": {"image": image.pk, "decorative": False, "alt_text": "写真"}, "caption": ""}
    return json.dumps([{"type": "image", "value": block}])


def _challenge(state: str, **kwargs):
    """A Sakai challenge that is a draft, in moderation, published then unpublished, or live."""
    page = challenge_page(SAKAI, title=f"課題（{state}）", publish=state != "draft", **kwargs)
    if state == "in_moderation":
        page.unpublish()
        page.get_workflow().start(page, staff_of(SAKAI))
    elif state == "unpublished":
        page.unpublish()
    page.refresh_from_db()
    return page


def _viewer(client, who: str):
    """Sign the client in as one of the people the rules tell apart."""
    people = {
        "anonymous": lambda: None,
        "company_member": lambda: company_member()[0],
        "other_municipality": lambda: staff_of(SUITA),
        "own_municipality": lambda: staff_of(SAKAI),
        "secretariat": secretariat_user,
    }
    user = people[who]()
    if user is not None:
        client.force_login(user)
    return user


def _fetch(client, url: str):
    response = client.get(url)
    if response.status_code == 200:
        response.body = b"".join(response.streaming_content)
    return response


NOT_LIVE = ["draft", "in_moderation", "unpublished"]


@pytest.mark.parametrize("state", NOT_LIVE)
@pytest.mark.parametrize("who", ["anonymous", "company_member", "other_municipality"])
def test_document_of_unpublished_challenge_is_not_found_by_outsiders(client, site, state, who):
    """A document attached to a challenge that is not live is 404 to visitors, members of other
    organisations and other municipalities' staff, as if it did not exist."""
    document = _document()
    _challenge(state, attachments=(document,))
    _viewer(client, who)
    assert _fetch(client, document.url).status_code == 404


@pytest.mark.parametrize("state", NOT_LIVE)
@pytest.mark.parametrize("who", ["own_municipality", "secretariat"])
def test_document_of_unpublished_challenge_reaches_its_editors_privately(client, site, state, who):
    """The challenge's municipality staff and the secretariat download it, never cached by others."""
    document = _document()
    _challenge(state, attachments=(document,))
    _viewer(client, who)
    response = _fetch(client, document.url)
    assert response.status_code == 200
    assert response.body == PDF
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_document_becomes_public_when_its_challenge_is_published(client, site):
    """After publication anyone downloads the attachment, as an attachment, cacheable."""
    document = _document()
    page = _challenge("draft", attachments=(document,))
    assert _fetch(client, document.url).status_code == 404
    page.save_revision().publish()
    response = _fetch(client, document.url)
    assert response.status_code == 200
    assert response.body == PDF
    assert response["Content-Disposition"].startswith("attachment")
    assert "private" not in response["Cache-Control"]
    assert "no-store" not in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_document_added_in_a_draft_of_a_live_challenge_waits_for_publication(client, site):
    """A document attached in an unpublished revision of a live challenge stays hidden from
    visitors until that revision is published."""
    page = _challenge("live", attachments=(_document("公開済み.pdf"),))
    added = _document("追加資料.pdf")
    page.attachments.add(ChallengeAttachment(document=added))
    page.save_revision()
    assert _fetch(client, added.url).status_code == 404
    page.get_latest_revision().publish()
    assert _fetch(client, added.url).status_code == 200


def test_document_used_by_a_live_page_stays_public_beside_a_draft(client, site):
    """The same document attached to a draft and to a published challenge stays public."""
    document = _document()
    _challenge("draft", attachments=(document,))
    _challenge("live", attachments=(document,))
    assert _fetch(client, document.url).status_code == 200


def test_document_in_the_body_of_a_live_page_is_public(client, site):
    """A document linked from a page's body block counts like an attachment."""
    document = _document()
    body = json.dumps([{"type": "document", "value": {"document": document.pk, "caption": ""}}])
    page = _challenge("draft", body=body)
    assert _fetch(client, document.url).status_code == 404
    page.save_revision().publish()
    assert _fetch(client, document.url).status_code == 200


def test_document_of_a_restricted_live_page_is_not_public(client, site):
    """A live page behind a view restriction does not make its documents public."""
    document = _document()
    page = site.add_child(
        instance=StandardPage(
            title="会員向け資料",
            slug="members-only",
            body=json.dumps(
                [{"type": "document", "value": {"document": document.pk, "caption": ""}}]
            ),
        )
    )
    page.save_revision().publish()
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    assert _fetch(client, document.url).status_code == 404
    client.force_login(company_member()[0])
    assert _fetch(client, document.url).status_code == 404


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 404),
        ("company_member", 404),
        ("other_municipality", 404),
        ("own_municipality", 200),
        ("secretariat", 200),
    ],
)
def test_document_no_page_uses_yet_reaches_only_editors(client, site, who, status):
    """A document uploaded to Sakai's collection and not used by any page is for its editors."""
    _, _index = municipality_place(SAKAI)
    document = _document(collection=Collection.objects.get(name=_index.municipality.name))
    _viewer(client, who)
    response = _fetch(client, document.url)
    assert response.status_code == status
    if status == 200:
        assert response["Cache-Control"] == "private, no-store"


def test_document_under_a_wrong_name_is_not_found(client, site):
    """The id alone does not fetch a published document: the name must match too."""
    document = _document()
    _challenge("live", attachments=(document,))
    url = reverse("wagtaildocs_serve", args=[document.pk, "other.pdf"])
    assert _fetch(client, url).status_code == 404


@pytest.mark.parametrize("state", NOT_LIVE)
def test_image_of_unpublished_challenge_is_not_found_by_outsiders(client, site, state):
    """The renditions of an image used only by a challenge that is not live are 404 to visitors
    and other organisations, and reach the challenge's editors privately."""
    image = _image()
    _challenge(state, body=_image_body(image))
    rendition = image.get_rendition("width-960")
    assert _fetch(client, rendition.url).status_code == 404
    _viewer(client, "company_member")
    assert _fetch(client, rendition.url).status_code == 404
    _viewer(client, "own_municipality")
    response = _fetch(client, rendition.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_image_renditions_of_a_live_page_are_public(client, site):
    """Once the challenge is published its images' renditions are served to everyone."""
    image = _image()
    page = _challenge("draft", body=_image_body(image))
    rendition = image.get_rendition("width-960")
    page.save_revision().publish()
    response = _fetch(client, rendition.url)
    assert response.status_code == 200
    assert response.body[:8] == b"\x89PNG\r\n\x1a\n"
    assert "private" not in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 404), ("company_member", 404), ("own_municipality", 200), ("secretariat", 200)],
)
def test_image_originals_reach_only_editors_even_when_published(client, site, who, status):
    """An uploaded original (full size, with its metadata) is never public: pages show renditions."""
    _, index = municipality_place(SAKAI)
    image = _image(collection=Collection.objects.get(name=index.municipality.name))
    _challenge("live", body=_image_body(image))
    _viewer(client, who)
    assert _fetch(client, image.file.url).status_code == status


@pytest.mark.parametrize("who", ["anonymous", "own_municipality", "secretariat"])
def test_document_files_are_never_served_from_media(client, site, who):
    """A document's stored file is not reachable under /media/, only through its checked URL."""
    document = _document()
    _challenge("live", attachments=(document,))
    _viewer(client, who)
    assert _fetch(client, f"/media/{document.file.name}").status_code == 404


def test_media_path_outside_the_stored_files_is_not_found(client, site):
    """Unknown names and attempts to climb out of the media folder are 404."""
    secretariat = secretariat_user()
    client.force_login(secretariat)
    assert _fetch(client, "/media/images/nothing.width-960.png").status_code == 404
    assert _fetch(client, "/media/../config/settings/base.py").status_code == 404


def test_another_municipalitys_file_attached_to_own_draft_stays_hidden(client, site):
    """Staff who attach another municipality's private document or image to their own draft
    (the choosers accept any posted id) still get a 404: they may not choose those files."""
    document = _document()
    image = _image()
    _challenge("draft", attachments=(document,))
    challenge_page(SUITA, title="吹田市の下書き", publish=False, attachments=(document,))
    _viewer(client, "other_municipality")
    assert _fetch(client, document.url).status_code == 404
    rendition = image.get_rendition("width-100")
    suita_page = challenge_page(SUITA, title="吹田市の写真", publish=False, body=_image_body(image))
    assert suita_page.pk
    assert _fetch(client, rendition.url).status_code == 404
