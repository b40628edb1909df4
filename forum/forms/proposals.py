"""Forms for solution profiles and proposals: shape only."""

from django import forms
from django.utils.translation import gettext_lazy as _

from forum.forms.fields import fields_choice, municipalities_choice, note_field, technologies_choice
from forum.models import NotificationPreference, Proposal, SolutionProfile


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

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
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
    file = forms.FileField(label=_("添付資料（PDF・Word・Excel・PowerPoint・PNG・JPEG、10MBまで）"))


class DecisionForm(forms.Form):
    note = note_field(label=_("コメント（不採択の場合は理由）"))


class NotificationPreferenceForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["email_mode", "language"]
        widgets = {"email_mode": forms.RadioSelect, "language": forms.RadioSelect}
