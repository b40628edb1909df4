import pytest

from forum.models import Field, Municipality, Technology
from forum.reference.data import local_government_check_digit
from forum.services.reference import reference_data_load

pytestmark = pytest.mark.django_db


def test_reference_data_loaded_has_forum_counts():
    """Seven fields, the prefecture and its 43 municipalities, and the technology vocabulary."""
    assert Field.objects.count() == 7
    assert Municipality.objects.count() == 44
    assert Municipality.objects.filter(kind="city").count() == 33
    assert Municipality.objects.filter(kind="town").count() == 9
    assert Municipality.objects.filter(kind="village").count() == 1
    assert Technology.objects.count() >= 20
    assert set(Technology.objects.values_list("name_ja", flat=True)) >= {
        "IoT",
        "AI",
        "ビッグデータ",
        "ロボット",
        "ドローン",
        "センサー",
        "5G",
        "クラウド",
        "セキュリティ",
        "オープンデータ",
        "MaaS",
    }


def test_local_government_codes_have_valid_check_digits():
    """Every code's sixth digit is the national check digit of the first five."""
    codes = list(Municipality.objects.values_list("code", flat=True))
    assert all(local_government_check_digit(code[:5]) == code[5] for code in codes)
    assert Municipality.objects.get(code="270008").name == "大阪府"
    assert Municipality.objects.get(code="271004").name == "大阪市"
    assert Municipality.objects.get(code="271403").name == "堺市"
    assert Municipality.objects.get(code="273830").name == "千早赤阪村"


def test_check_digit_rejects_a_typo():
    """A changed digit no longer matches the check digit."""
    assert local_government_check_digit("27212") == "4"
    assert local_government_check_digit("27213") != "4"


def test_reference_data_load_twice_keeps_secretariat_edits():
    """Loading again adds nothing and keeps a field renamed or described by the secretariat."""
    Field.objects.filter(slug="safety").update(
        description="防災と防犯の課題", name_ja="防災・防犯・消防"
    )
    Field.objects.create(
        slug="data", name_ja="データ利活用", name_en="Data utilisation", sort_order=80
    )
    results = reference_data_load()
    assert results["fields"].created == 0
    assert Field.objects.count() == 8
    safety = Field.objects.get(slug="safety")
    assert safety.name_ja == "防災・防犯・消防"
    assert safety.description == "防災と防犯の課題"


def test_field_name_follows_active_language():
    """English pages show English field names; Japanese is the default."""
    from django.utils import translation

    field = Field.objects.get(slug="mobility")
    assert field.name == "移動・交通"
    with translation.override("en"):
        assert field.name == "Mobility and transport"
