"""Forms for solution profiles and proposals: shape only."""

from django import forms
from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from forum.forms.fields import fields_choice, municipalities_choice, note_field, technologies_choice
from forum.models import NotificationPreference, Organisation, Proposal, SolutionProfile
from forum.rules.proposals import MAX_ATTACHMENTS

# The file types services/files.py accepts, for the file picker's filter.
ACCEPTED_FILES = ".pdf,.docx,.xlsx,.pptx,.png,.jpg,.jpeg"


def _attachment_help(limit: int | None) -> str:
    text = gettext(
        "使えるファイル：PDF・Word（.docx）・Excel（.xlsx）・PowerPoint（.pptx）・PNG・JPEG。"
        "1ファイル%(mb)sMBまで。"
    ) % {"mb": settings.FORUM_MAX_UPLOAD_BYTES // (1024 * 1024)}
    if limit:
        text += gettext("%(n)s件まで添付できます。") % {"n": limit}
    return text


attachment_help = lazy(_attachment_help, str)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one file input (Django's documented pattern); [] when none."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPTED_FILES}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class SolutionForm(forms.ModelForm):
    """A solution profile."""

    fields = fields_choice()
    technologies = technologies_choice()
    track_record_municipalities = municipalities_choice(label=_("導入実績のある市町村"))

    class Meta:
        model = SolutionProfile
        fields = [
            "title",
            "summary",
            "description",
            "fields",
            "technologies",
            "stage",
            "track_record",
            "track_record_municipalities",
            "price_range",
            "language",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 8}),
            "track_record": forms.Textarea(attrs={"rows": 3}),
        }


class ProposalForm(forms.ModelForm):
    """A proposal's text; the solution list is limited to the proposing organisation's."""

    class Meta:
        model = Proposal
        fields = ["title", "summary", "approach", "schedule", "cost_estimate", "solution"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "approach": forms.Textarea(attrs={"rows": 8}),
            "schedule": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, organisation=None, with_attachments=False, **kwargs):
        super().__init__(*args, **kwargs)
        if with_attachments:
            # The first form takes the files too, so nobody has to save before attaching.
            self.fields["attachments"] = MultipleFileField(
                label=_("添付資料（任意・複数選べます）"),
                required=False,
                help_text=attachment_help(MAX_ATTACHMENTS),
            )
        self.fields["solution"].queryset = SolutionProfile.objects.filter(organisation=organisation)
        self.fields["solution"].required = False
        self.fields["solution"].error_messages["invalid_choice"] = _(
            "選択したソリューションが見つかりません。"
        )


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("メッセージ"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("添付資料"),
        help_text=attachment_help(None),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPTED_FILES}),
    )


class DecisionForm(forms.Form):
    note = note_field(label=_("コメント（不採択の場合は理由）"))


class NotificationPreferenceForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["email_mode", "language"]
        widgets = {"email_mode": forms.RadioSelect, "language": forms.RadioSelect}


class PartnerForm(forms.Form):
    """The organisation a lead invites as co-proposer: approved, not a municipality."""

    organisation = forms.ModelChoiceField(
        label=_("共同提案団体"), queryset=Organisation.objects.none()
    )

    def __init__(self, *args, exclude: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = (
            Organisation.objects.filter(status=Organisation.Status.APPROVED)
            .exclude(kind__in=[Organisation.Kind.MUNICIPALITY, Organisation.Kind.SECRETARIAT])
            .exclude(pk=exclude)
            .order_by("name_kana", "name")
        )
