"""Forms check shape only; the services decide what is allowed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from forum.models import Membership, Municipality, Organisation
from forum.services.organisations import (
    APPLICANT_KINDS,
    ORGANISATION_DETAILS,
    organisation_name_taken,
)


class OrganisationApplicationForm(forms.ModelForm):
    """A new organisation's application."""

    website = forms.URLField(label=_("ウェブサイト"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = list(ORGANISATION_DETAILS)
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            c for c in Organisation.Kind.choices if c[0] in APPLICANT_KINDS
        ]
        # The prefecture registers like a municipality, so that its bureaus post challenges.
        self.fields["municipality"].queryset = Municipality.objects.order_by("code")
        self.fields["municipality"].required = False
        self.fields["description"].max_length = 5000

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if organisation_name_taken(name):
            raise forms.ValidationError(
                _(
                    "この団体名はすでに登録されています。同じ団体であれば「既存の団体に参加」から申請してください。"
                )
            )
        return name

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == Organisation.Kind.MUNICIPALITY and not cleaned.get(
            "municipality"
        ):
            self.add_error("municipality", _("種別が「市町村」の場合は市町村を選択してください。"))
        return cleaned


class JoinRequestForm(forms.Form):
    """A request to join an existing organisation."""

    organisation = forms.ModelChoiceField(
        label=_("参加する団体"),
        queryset=Organisation.objects.exclude(status=Organisation.Status.REJECTED).exclude(
            kind=Organisation.Kind.SECRETARIAT
        ),
        error_messages={"invalid_choice": _("選択した団体が見つかりません。")},
    )
    message = forms.CharField(
        label=_("団体の管理者へのメッセージ"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class InvitationForm(forms.Form):
    """An admin's invitation of a colleague."""

    email = forms.EmailField(label=_("メールアドレス"))
    role = forms.ChoiceField(
        label=_("役割"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER
    )


class RejectionForm(forms.Form):
    """The reason for rejecting an application."""

    reason = forms.CharField(
        label=_("却下の理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
