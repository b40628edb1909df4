"""Admin forms of the CMS."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from wagtail.documents.forms import BaseDocumentForm


class DocumentForm(BaseDocumentForm):
    """Documents are limited to the forum's allowed types and 10 MB, with a clear message."""

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is None:
            return upload
        limit = settings.FORUM_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise ValidationError(
                _("ファイルが大きすぎます（%(size)s）。%(limit)s以下のファイルを選んでください。")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            )
        extension = Path(upload.name).suffix.lower().lstrip(".")
        if extension not in settings.WAGTAILDOCS_EXTENSIONS:
            raise ValidationError(
                _(
                    "この形式のファイルは添付できません。PDF・Word・Excel・PowerPoint・PNG・JPEGのみ使えます。"
                )
            )
        return upload
