"""Residents' needs: sending, bad input and photos, privacy, moderation and the draft challenge."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import pytest
from PIL import Image

from cms.models import ChallengePage
from cms.need_challenges import challenge_draft_from_need
from cms.services import site_ensure
from forum.models import AuditEvent, Municipality, Need, Notification, Support
from forum.selectors.needs import need_get_for_challenge_page
from forum.services.errors import PermissionDenied, ServiceError
from forum.services.needs import need_decline, need_merge, need_publish, need_submit
from tests.factories import UserFactory
from tests.forum.helpers import company_member, municipality_staff, secretariat_user
from tests.forum.resident_fixtures import a_field, gps_exif, jpeg_bytes, resident_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    """The site tree that challenge pages live in."""
    return site_ensure()


@pytest.fixture
def toyonaka():
    return Municipality.objects.get(name="豊中市")


@pytest.fixture
def resident(toyonaka):
    return resident_of(toyonaka, display_name="山田太郎")


@pytest.fixture
def staff(toyonaka):
    return municipality_staff(municipality=toyonaka)


def _need(resident, **kwargs) -> Need:
    values = {"title": "駅前の歩道が暗い", "description": "夜道が不安です。", "field": a_field()}
    return need_submit(actor=resident, **{**values, **kwargs})


def _post(client, **data):
    values = {"title": "公園の遊具が壊れている", "description": "すべり台が割れています。"}
    values["field"] = a_field().pk
    return client.post(reverse("residents:need_submit"), {**values, **data})


def test_need_form_asks_for_the_field_instead_of_choosing_one(client, resident):
    """The field select starts on 「選択してください」; sending without choosing a field is refused
    with the required error, and no need is saved."""
    client.force_login(resident)
    form = client.get(reverse("residents:need_submit")).content.decode()
    assert '<option value="" selected>選択してください</option>' in form
    response = _post(client, field="")
    assert response.status_code == 200
    assert "この項目は必須です" in response.content.decode()
    assert not Need.objects.exists()


def test_resident_sends_need_private_until_published(client, resident, staff):
    """A sent need reaches the municipality's staff (notified) and no one else until published."""
    client.force_login(resident)
    response = _post(client, place_name="豊中駅前")
    need = Need.objects.get()
    assert response["Location"] == reverse("residents:need_detail", args=[need.pk])
    assert need.status == Need.Status.SUBMITTED and need.municipality.name == "豊中市"
    assert Notification.objects.filter(recipient=staff, verb="need.submitted").exists()
    client.logout()
    assert client.get(reverse("residents:need_detail", args=[need.pk])).status_code == 404
    assert "公園の遊具" not in client.get(reverse("residents:need_list")).content.decode()
    client.force_login(company_member()[0])
    assert client.get(reverse("residents:need_detail", args=[need.pk])).status_code == 404
    client.force_login(resident_of(need.municipality))
    assert client.get(reverse("residents:need_detail", args=[need.pk])).status_code == 404


def test_published_need_shows_municipality_never_name(client, resident, staff):
    """Once published the need is public, signed 「豊中市の住民」, never with the name."""
    need = need_publish(actor=staff, need=_need(resident))
    page = client.get(reverse("residents:need_detail", args=[need.pk])).content.decode()
    assert "豊中市の住民" in page
    assert "山田太郎" not in page and resident.email not in page
    listing = client.get(reverse("residents:need_list")).content.decode()
    assert need.title in listing and "山田太郎" not in listing


def test_unverified_resident_cannot_send(client, toyonaka):
    """Nothing counts before the email address is verified."""
    unverified = resident_of(toyonaka, verified=False)
    with pytest.raises(PermissionDenied):
        _need(unverified)
    assert not Need.objects.exists()


def test_member_cannot_send_need(client):
    """Needs are residents' own: a member is refused."""
    member, _organisation = company_member()
    client.force_login(member)
    assert _post(client).status_code == 403
    with pytest.raises(PermissionDenied):
        _need(member)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": ""}, "この項目は必須です"),
        ({"title": "   "}, "この項目は必須です"),
        ({"description": "あ" * 2001}, "2000"),
        ({"description": "<script>alert(1)</script>"}, "HTMLのタグは使えません"),
        ({"title": '<a href="x">見て</a>'}, "HTMLのタグは使えません"),
    ],
)
def test_bad_text_gets_clear_message_and_keeps_input(client, resident, data, message):
    """Empty, huge and HTML input are refused with a message; what was typed stays."""
    client.force_login(resident)
    response = _post(client, **data)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "公園の遊具が壊れている" in page or "すべり台が割れています" in page
    assert not Need.objects.exists()


def test_photo_that_is_not_an_image_is_refused(client, resident):
    """A file named .jpg that is not an image gets a clear message."""
    client.force_login(resident)
    fake = SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
    response = _post(client, photo=fake)
    assert "写真として読み込めないファイルです" in response.content.decode()
    assert not Need.objects.exists()


def test_oversized_photo_is_refused(client, resident, settings, monkeypatch):
    """A photo over the size limit is refused with the limit in the message."""
    monkeypatch.setattr("forum.services.photos.PHOTO_MAX_BYTES", 1000)
    client.force_login(resident)
    big = SimpleUploadedFile("big.jpg", jpeg_bytes(size=(400, 400)) + b"\0" * 2000)
    response = _post(client, photo=big)
    assert (
        "写真は" in response.content.decode() and "までにしてください" in response.content.decode()
    )
    assert not Need.objects.exists()


def test_photo_is_reencoded_without_exif_or_gps(client, resident, staff):
    """The stored photo is a new JPEG with no EXIF: camera and GPS position are gone."""
    original = jpeg_bytes(size=(2400, 1200), exif=gps_exif())
    assert Image.open(io.BytesIO(original)).getexif().get(0x8825)
    client.force_login(resident)
    _post(client, photo=SimpleUploadedFile("phone.jpg", original, content_type="image/jpeg"))
    need = Need.objects.get()
    with need.photo.open("rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
        assert image.format == "JPEG"
        assert max(image.size) == 1600
        assert not image.getexif()
        assert "exif" not in image.info
    client.logout()
    assert client.get(reverse("residents:need_photo", args=[need.pk])).status_code == 404
    need_publish(actor=staff, need=need)
    assert client.get(reverse("residents:need_photo", args=[need.pk])).status_code == 200


def test_need_submissions_are_rate_limited(client, resident, settings):
    """Past the per-account limit a resident is told to wait and nothing is saved."""
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS}
    settings.ACCOUNT_RATE_LIMITS["resident_need_submit"] = "2/d/user"
    client.force_login(resident)
    for _ in range(2):
        _post(client)
    response = _post(client)
    assert "受付を一時的に止めています" in response.content.decode()
    assert Need.objects.count() == 2


def test_staff_of_other_municipality_cannot_moderate(client, resident):
    """Only the need's municipality and the secretariat moderate it."""
    need = _need(resident)
    other = municipality_staff(municipality=Municipality.objects.get(name="吹田市"))
    with pytest.raises(PermissionDenied):
        need_publish(actor=other, need=need)
    client.force_login(other)
    assert client.get(reverse("forum:need_moderate", args=[need.pk])).status_code == 404
    assert need.title not in client.get(reverse("forum:need_queue")).content.decode()
    client.force_login(company_member()[0])
    assert client.get(reverse("forum:need_queue")).status_code == 403
    assert client.get(reverse("forum:need_moderate", args=[need.pk])).status_code == 404
    need_publish(actor=secretariat_user(), need=need)


def test_queue_and_actions_from_the_staff_pages(client, resident, staff):
    """Staff see the waiting need in their queue, edit it for privacy and publish it;
    the resident is told and every step is audited."""
    need = _need(resident, description="山田の家の前の道が暗い")
    client.force_login(staff)
    queue = client.get(reverse("forum:need_queue")).content.decode()
    assert need.title in queue and "確認する" in queue
    response = client.post(
        reverse("forum:need_moderate", args=[need.pk]),
        {"title": need.title, "description": "住宅街の道が暗い", "field": need.field_id},
    )
    assert response.status_code == 302
    client.post(reverse("forum:need_action", args=[need.pk, "publish"]))
    page = client.get(reverse("forum:need_moderate", args=[need.pk])).content.decode()
    assert "課題の下書きを作る" in page and "応援 0件" in page
    need.refresh_from_db()
    assert need.status == Need.Status.PUBLISHED and need.description == "住宅街の道が暗い"
    assert Notification.objects.filter(recipient=resident, verb="need.published").exists()
    verbs = set(AuditEvent.objects.filter(target_id=need.pk).values_list("verb", flat=True))
    assert {"need.submitted", "need.edited", "need.published"} <= verbs


def test_decline_needs_reason_that_resident_reads(client, resident, staff):
    """Declining without a reason is refused; with one, the resident reads it."""
    need = _need(resident)
    with pytest.raises(ServiceError):
        need_decline(actor=staff, need=need, reason=" ")
    need_decline(actor=staff, need=need, reason="個人のお宅の問題のため")
    notice = Notification.objects.get(recipient=resident, verb="need.declined")
    assert "個人のお宅の問題のため" in notice.body
    client.force_login(resident)
    assert "個人のお宅の問題のため" in client.get(reverse("residents:home")).content.decode()


def test_merge_moves_supports_and_tells_resident(resident, staff, toyonaka):
    """A duplicate merged into another need gives it its supports (once per person)."""
    first = need_publish(actor=staff, need=_need(resident))
    other = resident_of(toyonaka)
    duplicate = need_publish(actor=staff, need=_need(other, title="駅前が暗い"))
    both = resident_of(toyonaka)
    Support.objects.create(user=both, need=first, municipality=toyonaka)
    Support.objects.create(user=both, need=duplicate, municipality=toyonaka)
    Support.objects.create(user=resident, need=duplicate, municipality=toyonaka)
    need_merge(actor=staff, need=duplicate, into=first)
    duplicate.refresh_from_db()
    assert duplicate.status == Need.Status.MERGED and duplicate.merged_into == first
    assert set(first.supports.values_list("user_id", flat=True)) == {both.pk, resident.pk}
    assert Notification.objects.filter(recipient=other, verb="need.merged").exists()
    with pytest.raises(ServiceError):
        need_merge(actor=staff, need=first, into=first)


def test_published_need_becomes_draft_challenge_linked_both_ways(client, site, resident, staff):
    """One step makes a draft challenge page of the municipality; need and page find each
    other; the resident is told."""
    need = need_publish(actor=staff, need=_need(resident))
    client.force_login(staff)
    response = client.post(reverse("need_challenge", args=[need.pk]))
    need.refresh_from_db()
    page = ChallengePage.objects.get(pk=need.challenge_page_id)
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert not page.live and page.title == need.title and page.field_id == need.field_id
    assert page.get_parent().specific.municipality == need.municipality
    assert need_get_for_challenge_page(page.pk) == need
    assert Notification.objects.filter(recipient=resident, verb="need.challenge_drafted").exists()
    with pytest.raises(ServiceError):
        challenge_draft_from_need(actor=staff, need_id=need.pk)
    assert "課題になりました" in client.get(reverse("residents:need_list")).content.decode()


def test_only_published_needs_become_challenges(resident, staff):
    """A waiting need is published first; other people may not make challenges of it."""
    need = _need(resident)
    with pytest.raises(ServiceError):
        challenge_draft_from_need(actor=staff, need_id=need.pk)
    need_publish(actor=staff, need=need)
    for outsider in (resident, company_member()[0], UserFactory()):
        with pytest.raises(PermissionDenied):
            challenge_draft_from_need(actor=outsider, need_id=need.pk)
    assert not ChallengePage.objects.filter(slug=f"need-{need.pk}").exists()


def test_api_lists_published_needs_without_who_sent_them(client, resident, staff):
    """/api/v1/needs/ lists published needs only, with support, never the resident."""
    published = need_publish(actor=staff, need=_need(resident))
    waiting = _need(resident, title="まだ確認中")
    body = client.get("/api/v1/needs/").json()
    assert [row["id"] for row in body["results"]] == [published.pk]
    row = body["results"][0]
    assert row["municipality"]["code"] == published.municipality.code
    assert row["support_count"] == 0 and row["became_challenge"] is False
    assert "author" not in row and resident.email not in str(body) and "山田" not in str(body)
    assert client.get(f"/api/v1/needs/{waiting.pk}/").status_code == 404
