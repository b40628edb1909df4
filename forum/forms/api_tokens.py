"""The form to create a personal API token: shape only."""

from django import forms
from django.utils.translation import gettext_lazy as _


class APITokenForm(forms.Form):
    name = forms.CharField(
        label=_("トークン名"),
        max_length=100,
        help_text=_("用途がわかる名前（例: 社内システム連携）"),
    )
    expires_in_days = forms.TypedChoiceField(
        label=_("有効期限"),
        choices=[("90", _("90日")), ("30", _("30日")), ("365", _("1年")), ("", _("無期限"))],
        coerce=int,
        empty_value=None,
        required=False,
        initial="90",
    )
