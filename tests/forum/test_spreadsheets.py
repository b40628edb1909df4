"""CSV cells that Excel would run as formulas are made plain; numbers stay numbers."""

import csv
import io

from django.urls import reverse

import pytest

from forum.spreadsheets import spreadsheet_safe
from tests.forum.proposal_fixtures import published_challenge

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+81 6 1234", "'+81 6 1234"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-伊丹空港", "'-伊丹空港"),
        ("-12", "-12"),
        ("-3.5%", "-3.5%"),
        ("1,200", "1,200"),
        ("ため池の見守り", "ため池の見守り"),
        (42, 42),
    ],
)
def test_formula_like_text_is_made_plain(value, expected):
    """Text starting with = + - @ gets an apostrophe; numbers and ordinary text are unchanged."""
    assert spreadsheet_safe(value) == expected


def test_open_data_csv_never_carries_a_live_formula(client):
    """A challenge titled like a formula reaches the open data CSV as plain text."""
    published_challenge(title='=HYPERLINK("http://evil.example","詳細")')
    response = client.get("/opendata/challenges.csv")
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    [row] = list(csv.DictReader(io.StringIO(content, newline="")))
    assert row["課題名"] == '\'=HYPERLINK("http://evil.example","詳細")'


def test_private_solution_files_are_never_kept_by_shared_caches(client):
    """A solution's attachment is served with Cache-Control: private, no-store."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from forum.models import Field
    from forum.services.solutions import solution_attachment_add, solution_create
    from tests.forum.helpers import company_member

    user, organisation = company_member()
    solution = solution_create(
        actor=user,
        organisation=organisation,
        title="下書き",
        summary="まだ非公開",
        fields=[Field.objects.first()],
    )
    attachment = solution_attachment_add(
        actor=user,
        solution=solution,
        upload=SimpleUploadedFile("案内.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n", "application/pdf"),
    )
    client.force_login(user)
    response = client.get(
        reverse("directory:solution_attachment", args=[solution.pk, attachment.pk])
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
