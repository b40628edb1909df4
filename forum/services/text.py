"""Checks of free text that every service applies the same way, with the same messages."""

from django.utils.translation import gettext as _

from forum.services.errors import ServiceError


def clean_text(value: str, *, label: str, limit: int, required: bool = False) -> str:
    """The text without surrounding blanks; refused when required and empty, or over the limit."""
    value = (value or "").strip()
    if required and not value:
        raise ServiceError(_("%(label)sを入力してください。") % {"label": label})
    if len(value) > limit:
        raise ServiceError(
            _("%(label)sは%(limit)s文字以内で入力してください。")
            % {"label": label, "limit": f"{limit:,}"}
        )
    return value
