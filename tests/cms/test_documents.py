from django.core.files.uploadedfile import SimpleUploadedFile

from wagtail.documents.forms import get_document_form
from wagtail.documents.models import Document

import pytest

pytestmark = pytest.mark.django_db


def _form(name: str, size: int):
    form_class = get_document_form(Document)
    upload = SimpleUploadedFile(
        name, b"%PDF-1.4\n" + b"0" * max(size - 9, 0), content_type="application/pdf"
    )
    return form_class(data={"title": name}, files={"file": upload})


def test_oversized_attachment_is_refused_with_size():
    """A file over 10 MB is refused with a message naming the limit."""
    form = _form("big.pdf", 10 * 1024 * 1024 + 1)
    assert not form.is_valid()
    assert "10.0 MB" in str(form.errors["file"]) or "10.0\xa0MB" in str(form.errors["file"])


def test_wrong_type_attachment_is_refused():
    """An executable or other unlisted type is refused."""
    form = _form("tool.exe", 100)
    assert not form.is_valid()
    assert "file" in form.errors


def test_allowed_pdf_is_accepted():
    """A small PDF passes."""
    assert _form("資料.pdf", 2048).is_valid()
