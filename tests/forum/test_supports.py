"""Support (私も困っています): once per resident, counted on pages, lists and the API."""

from django.urls import reverse

import pytest

from cms.services import site_ensure
from forum.models import AuditEvent, Challenge, Municipality, Support
from forum.selectors.supports import support_count
from forum.services.errors import PermissionDenied, ServiceError
from forum.services.needs import need_publish, need_submit
from forum.services.supports import support_toggle
from tests.cms.factories import challenge_page
from tests.forum.helpers import company_member, municipality_staff
from tests.forum.resident_fixtures import a_field, resident_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def toyonaka():
    return Municipality.objects.get(name="豊中市")


@pytest.fixture
def suita():
    return Municipality.objects.get(name="吹田市")


@pytest.fixture
def need(toyonaka):
    staff = municipality_staff(municipality=toyonaka)
    sent = need_submit(
        actor=resident_of(toyonaka),
        title="バス停に屋根がない",
        description="雨の日に困る",
        field=a_field(),
    )
    return need_publish(actor=staff, need=sent)


def test_support_once_and_take_back(toyonaka, need):
    """Supporting twice takes the support back; a need counts each resident once."""
    resident = resident_of(toyonaka)
    assert support_toggle(actor=resident, need=need) is True
    assert support_count(need=need).total == 1
    assert support_toggle(actor=resident, need=need) is False
    assert support_count(need=need).total == 0
    assert AuditEvent.objects.filter(verb="support.removed", target_id=need.pk).exists()


def test_local_and_elsewhere_counted_apart(toyonaka, suita, need):
    """The municipality sees support from its own residents apart from elsewhere."""
    support_toggle(actor=resident_of(toyonaka), need=need)
    support_toggle(actor=resident_of(toyonaka), need=need)
    support_toggle(actor=resident_of(suita), need=need)
    counted = support_count(need=need)
    assert (counted.total, counted.local, counted.elsewhere) == (3, 2, 1)


def test_only_verified_residents_support(toyonaka, need):
    """Members and unverified residents are refused; nothing is counted."""
    for actor in (company_member()[0], resident_of(toyonaka, verified=False)):
        with pytest.raises(PermissionDenied):
            support_toggle(actor=actor, need=need)
    assert not Support.objects.exists()


def test_unpublished_targets_refused(toyonaka):
    """A waiting need or an unpublished challenge cannot be supported."""
    waiting = need_submit(
        actor=resident_of(toyonaka), title="未公開", description="確認待ち", field=a_field()
    )
    resident = resident_of(toyonaka)
    with pytest.raises(ServiceError):
        support_toggle(actor=resident, need=waiting)
    hidden = Challenge.objects.create(
        title="非公開", summary="s", municipality=toyonaka, field=a_field(), is_published=False
    )
    with pytest.raises(ServiceError):
        support_toggle(actor=resident, challenge=hidden)


def test_need_page_button_and_counts(client, toyonaka, suita, need):
    """A resident supports from the need's page and sees the split counts."""
    client.force_login(resident_of(suita))
    page = client.get(reverse("residents:need_detail", args=[need.pk])).content.decode()
    assert "私も困っています" in page
    client.post(reverse("residents:support", args=["need", need.pk]))
    page = client.get(reverse("residents:need_detail", args=[need.pk])).content.decode()
    assert "1人が「私も困っています」" in page
    assert "地元の住民 0人・ほかの市町村の住民 1人" in page
    assert "応援を取り消す" in page


def test_support_rate_limited(client, toyonaka, need, settings):
    """Past the per-account limit the support is refused with a message."""
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "resident_support": "2/h/user"}
    client.force_login(resident_of(toyonaka))
    url = reverse("residents:support", args=["need", need.pk])
    client.post(url)
    client.post(url)
    response = client.post(url, follow=True)
    assert "一時的に止めています" in response.content.decode()
    assert support_count(need=need).total == 0


def test_challenge_support_on_page_list_and_api(client, toyonaka):
    """A published challenge page takes support; the list sorts by it and the API counts it."""
    site_ensure()
    quiet = challenge_page("272035", title="静かな課題")
    loved = challenge_page("272035", title="応援の多い課題")
    record = Challenge.objects.get(page_id=loved.pk)
    resident = resident_of(toyonaka)
    client.force_login(resident)
    page = client.get(loved.url).content.decode()
    assert "私も困っています" in page and "この課題に提案する" not in page
    client.post(reverse("residents:support", args=["challenge", record.pk]))
    support_toggle(actor=resident_of(toyonaka), challenge=record)
    listing = client.get("/challenges/?sort=support").content.decode()
    assert listing.index("応援の多い課題") < listing.index(quiet.title)
    assert "応援 2件" in listing
    api = client.get("/api/v1/challenges/?sort=support").json()
    assert api["results"][0]["support_count"] == 2
    assert client.get(f"/api/v1/challenges/{record.pk}/").json()["support_count"] == 2


def test_member_cannot_use_support_button(client, need):
    """The support endpoint refuses a member with a message and counts nothing."""
    member, _organisation = company_member()
    client.force_login(member)
    response = client.post(reverse("residents:support", args=["need", need.pk]), follow=True)
    assert "住民の方です" in response.content.decode()
    assert support_count(need=need).total == 0


def test_figures_on_dashboard_and_open_data_count_only(client, toyonaka, suita, need):
    """The 見える化 and open data show counts per municipality and field, no person."""
    support_toggle(actor=resident_of(toyonaka), need=need)
    support_toggle(actor=resident_of(suita), need=need)
    page = client.get(reverse("dashboard:public")).content.decode()
    assert 'id="table-residents"' in page and "豊中市" in page
    data = client.get("/opendata/residents-voice.json").json()
    row = next(r for r in data["records"] if r["municipality"]["code"] == toyonaka.code)
    assert (row["needs_received"], row["needs_published"], row["need_supports"]) == (1, 1, 2)
    assert row["supports_local"] == 1
    assert "@" not in str(data["records"])
    response = client.get("/opendata/residents-voice.csv")
    csv_text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("市町村コード,市町村名")


def test_residents_table_in_api_and_its_csv_counts_only(client, toyonaka, suita, need):
    """The residents' table is one of the dashboard's: its figures in the API, its own CSV,
    support split into the municipality's own residents and others, and no person."""
    neighbour, visitor = resident_of(toyonaka), resident_of(suita, display_name="吹田花子")
    support_toggle(actor=neighbour, need=need)
    support_toggle(actor=visitor, need=need)
    data = client.get("/api/v1/dashboard/", {"table": "residents"}).json()
    figures = {
        f["measure"]["code"]: f["value"]
        for f in data["figures"]
        if f["municipality"] and f["municipality"]["code"] == toyonaka.code
    }
    assert figures["needs_received"] == 1 and figures["needs_published"] == 1
    assert figures["need_supports"] == 2
    assert (figures["supports_local"], figures["supports_elsewhere"]) == (1, 1)
    assert {f["table"]["code"] for f in data["figures"]} == {"residents"}
    response = client.get(reverse("dashboard:csv", args=["residents"]))
    assert "-residents-" in response["Content-Disposition"]
    rows = response.content.decode("utf-8-sig").splitlines()
    assert rows[0].startswith("市町村,分野,届いた困りごと")
    [row] = [r for r in rows[1:] if r.startswith("豊中市")]
    assert row.endswith(",1,1,0,2,0,1,1")
    text = response.content.decode("utf-8-sig") + str(data)
    assert "吹田花子" not in text and "@" not in text and need.title not in text
