"""Forms for projects: shape only; the services decide what is allowed."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from forum.forms.fields import municipalities_choice, note_field
from forum.models import (
    Challenge,
    Department,
    Field,
    Municipality,
    Organisation,
    ProjectKpi,
    ProjectMilestone,
)
from forum.models.projects import Outcome, ParticipantRole


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class StageMoveForm(forms.Form):
    """Move to one of the stages the user may choose; the outcome fields matter when leaving evaluation."""

    to_stage = forms.ChoiceField(label=_("移行先のステージ"))
    outcome = forms.ChoiceField(
        label=_("成果（評価の結論）"),
        choices=[("", _("選択してください")), *Outcome.choices],
        required=False,
        help_text=_("評価を終えるときは必須です。"),
    )
    lessons = note_field(
        label=_("学んだこと"),
        help_text=_("評価を終えるときは必須です。うまくいったこと、課題、次に生かすこと。"),
    )
    note = note_field(
        label=_("メモ"),
        rows=2,
        help_text=_("中止や事務局による修正のときは理由を入力してください。"),
    )

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_stage"].choices = [("", _("選択してください")), *targets]
        self.fields["to_stage"].error_messages["invalid_choice"] = _(
            "このステージへは移せません。表示されている移行先から選んでください。"
        )


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = ProjectMilestone
        fields = ["title", "due_on", "weight"]
        widgets = {"due_on": DateInput()}


class KpiForm(forms.ModelForm):
    class Meta:
        model = ProjectKpi
        fields = ["name", "unit", "baseline", "baseline_on", "target", "target_on"]
        widgets = {"baseline_on": DateInput(), "target_on": DateInput()}


class KpiRefusalForm(forms.Form):
    """The secretariat's reason for not publishing a KPI."""

    reason = forms.CharField(
        label=_("見送る理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReportForm(forms.Form):
    """A progress report with one optional value per KPI of the project."""

    reported_on = forms.DateField(label=_("報告日"), widget=DateInput())
    body = forms.CharField(
        label=_("報告内容"), max_length=10000, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args, kpis=(), **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["reported_on"].initial = today
        self.fields["reported_on"].widget.attrs["max"] = today.isoformat()
        self.kpis = list(kpis)
        for kpi in self.kpis:
            self.fields[f"kpi_{kpi.pk}"] = forms.DecimalField(
                label=str(kpi),
                required=False,
                max_digits=14,
                decimal_places=2,
                help_text=_("目標: %(target)s") % {"target": kpi.display_target}
                if kpi.target is not None
                else "",
            )

    def kpi_values(self) -> dict[int, object]:
        """The entered values by KPI id."""
        return {
            kpi.pk: self.cleaned_data.get(f"kpi_{kpi.pk}")
            for kpi in self.kpis
            if self.cleaned_data.get(f"kpi_{kpi.pk}") is not None
        }


class DocumentForm(forms.Form):
    file = forms.FileField(label=_("資料（PDF・Word・Excel・PowerPoint・PNG・JPEG、10MBまで）"))


def _member_organisations():
    return Organisation.objects.filter(status=Organisation.Status.APPROVED).exclude(
        kind=Organisation.Kind.SECRETARIAT
    )


def _coordinator_candidates():
    return _member_organisations().exclude(kind=Organisation.Kind.MUNICIPALITY)


def _published_challenges():
    return Challenge.objects.filter(is_published=True).select_related("municipality")


class ChallengeChoiceField(forms.ModelMultipleChoiceField):
    """Challenges named with their municipality, since titles alone repeat across towns."""

    def label_from_instance(self, obj) -> str:
        return gettext("%(title)s（%(municipality)s）") % {
            "title": obj.title,
            "municipality": obj.municipality,
        }


class ParticipantForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("団体"), queryset=Organisation.objects.none())
    role = forms.ChoiceField(
        label=_("役割"),
        choices=[c for c in ParticipantRole.choices if c[0] != ParticipantRole.COORDINATOR],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = _member_organisations()


class CoordinatorForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("コーディネーターにする団体"), queryset=Organisation.objects.none()
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "prefix", "coordinator"
        )  # the participant form beside it has the same field
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = _coordinator_candidates()


class ProjectOwnerForm(forms.Form):
    """The department that owns a project and its responsible post (責任者)."""

    department = forms.ModelChoiceField(
        label=_("担当所属"),
        queryset=Department.objects.none(),
        required=False,
        error_messages={
            "invalid_choice": _("プロジェクトに参加する市町村（府を含む）の所属を選んでください。")
        },
    )
    responsible_post = forms.CharField(
        label=_("責任者（役職）"),
        max_length=100,
        required=False,
        help_text=_("例: デジタル統括室 スマートシティ担当課長"),
    )

    def __init__(self, *args, departments=None, **kwargs):
        kwargs.setdefault("prefix", "owner")
        super().__init__(*args, **kwargs)
        if departments is not None:
            self.fields["department"].queryset = departments


class ProjectCreateForm(forms.Form):
    """The secretariat's new project."""

    title = forms.CharField(label=_("プロジェクト名"), max_length=200)
    summary = forms.CharField(
        label=_("概要"), max_length=3000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    challenges = ChallengeChoiceField(
        label=_("課題"),
        queryset=Challenge.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("1件以上選んでください。課題の市町村はプロジェクトに加わります。"),
    )
    field = forms.ModelChoiceField(
        label=_("分野"),
        queryset=Field.objects.filter(is_active=True),
        required=False,
        help_text=_("空欄のときは最初の課題の分野になります。"),
    )
    municipalities = municipalities_choice(label=_("ほかに参加する市町村"), size=6)
    coordinator = forms.ModelChoiceField(
        label=_("コーディネーター"), queryset=Organisation.objects.none(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["challenges"].queryset = _published_challenges()
        self.fields["coordinator"].queryset = _coordinator_candidates()


class RolloutStartForm(forms.Form):
    """The secretariat's roll-out of a project to another municipality."""

    municipality = forms.ModelChoiceField(
        label=_("横展開先の市町村"), queryset=Municipality.objects.all()
    )
    challenges = ChallengeChoiceField(
        label=_("横展開先の課題"),
        queryset=Challenge.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("横展開先の市町村が掲載している課題を1件以上選んでください。"),
    )
    title = forms.CharField(
        label=_("プロジェクト名"),
        max_length=200,
        required=False,
        help_text=_("空欄のときは元のプロジェクト名に横展開先を添えた名前になります。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["challenges"].queryset = _published_challenges()


class TagsForm(forms.Form):
    """SDGs and strategy themes of a challenge or project, with the regulatory relief a theme
    asks for; the service checks that it is written."""

    sdgs = forms.MultipleChoiceField(
        label=_("SDGsの目標"), required=False, widget=forms.CheckboxSelectMultiple
    )
    themes = forms.MultipleChoiceField(
        label=_("戦略テーマ"), required=False, widget=forms.CheckboxSelectMultiple
    )
    datasets = forms.MultipleChoiceField(
        label=_("利用するデータセット"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, goals=(), themes=(), datasets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["datasets"].choices = [(d.slug, d.name) for d in datasets]
        self.fields["sdgs"].choices = [(g.code, str(g)) for g in goals]
        self.fields["themes"].choices = [(t.slug, t.name) for t in themes]
        self.relief_themes = [t for t in themes if t.asks_regulatory_relief]
        for theme in self.relief_themes:
            self.fields[f"relief_{theme.slug}"] = forms.CharField(
                label=_("「%(theme)s」に必要な規制緩和") % {"theme": theme.name},
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def tag_values(self) -> dict:
        """The service's arguments: SDG numbers, {theme slug: regulatory relief}, datasets."""
        data = self.cleaned_data
        themes = {slug: data.get(f"relief_{slug}", "") for slug in data["themes"]}
        return {"sdg_numbers": data["sdgs"], "themes": themes, "datasets": data["datasets"]}
