"""Checking uploaded files: allowed types by extension and by content, 10 MB at most."""

import zipfile
from pathlib import Path

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from forum.services.errors import ServiceError

OFFICE_FOLDERS = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
}
ALLOWED = {"pdf", "docx", "xlsx", "pptx", "png", "jpg", "jpeg"}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
}


def attachment_add(files, *, upload, actor, limit: int, full: str):
    """Store a checked upload through a related manager (``proposal.attachments``…), refusing
    once ``limit`` files are there with the ``full`` message (``%(n)s`` is the limit)."""
    if files.count() >= limit:
        raise ServiceError(full % {"n": limit})
    upload_validate(upload)
    return files.create(
        file=upload, original_name=upload.name[:255], size=upload.size, uploaded_by=actor
    )


def upload_validate(upload) -> str:
    """Return the file's extension if it is an allowed, intact file of at most 10 MB; else refuse."""
    if upload is None or not getattr(upload, "name", ""):
        raise ServiceError(_("ファイルを選択してください。"))
    limit = settings.FORUM_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise ServiceError(
            _("ファイルが大きすぎます（%(size)s）。%(limit)s以下のファイルを選んでください。")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )
    extension = Path(upload.name).suffix.lower().lstrip(".")
    if extension not in ALLOWED:
        raise ServiceError(
            _(
                "この形式のファイルは添付できません。PDF・Word・Excel・PowerPoint・PNG・JPEGのみ使えます。"
            )
        )
    if not _content_matches(upload, extension):
        raise ServiceError(
            _("ファイルの中身が拡張子（%(ext)s）と一致しません。") % {"ext": extension.upper()}
        )
    return extension


def content_type_for(name: str) -> str:
    """The MIME type to serve a stored file with."""
    return CONTENT_TYPES.get(Path(name).suffix.lower().lstrip("."), "application/octet-stream")


def _content_matches(upload, extension: str) -> bool:
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if extension in SIGNATURES:
        return head.startswith(SIGNATURES[extension])
    if not head.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile:
        return False
    finally:
        upload.seek(0)
    return "[Content_Types].xml" in names and any(
        n.startswith(OFFICE_FOLDERS[extension]) for n in names
    )
