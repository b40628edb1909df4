"""Forms of the evaluation pages: shape only; the evaluation services judge the content."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from forum.models import ProposalDecision
from forum.rules.evaluation import MAX_CRITERIA
from forum.services.evaluation import CriterionInput, DecisionInput


class CriteriaForm(forms.Form):
    """The scale and up to MAX_CRITERIA rows of name, weight and description."""

    scale_min = forms.IntegerField(label=_("評点の最小値"), min_value=1, max_value=9, initial=1)
    scale_max = forms.IntegerField(label=_("評点の最大値"), min_value=2, max_value=10, initial=5)

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        criteria = list(criteria)
        for i in range(MAX_CRITERIA):
            current = criteria[i] if i < len(criteria) else None
            self.fields[f"name_{i}"] = forms.CharField(
                label=_("評価基準"),
                max_length=100,
                required=False,
                initial=current.name if current else "",
            )
            self.fields[f"weight_{i}"] = forms.IntegerField(
                label=_("配点"),
                min_value=1,
                max_value=100,
                required=False,
                initial=current.weight if current else None,
            )
            self.fields[f"description_{i}"] = forms.CharField(
                label=_("説明"),
                max_length=1000,
                required=False,
                initial=current.description if current else "",
            )

    def rows(self) -> list[tuple]:
        """The bound fields of each row, for the template."""
        return [
            (self[f"name_{i}"], self[f"weight_{i}"], self[f"description_{i}"])
            for i in range(MAX_CRITERIA)
        ]

    def clean(self):
        data = super().clean()
        for i in range(MAX_CRITERIA):
            if data.get(f"name_{i}") and data.get(f"weight_{i}") is None:
                self.add_error(f"weight_{i}", _("配点を入力してください。"))
        return data

    def criteria(self) -> list[CriterionInput]:
        """The filled rows, in order."""
        return [
            CriterionInput(
                name=self.cleaned_data[f"name_{i}"],
                weight=self.cleaned_data[f"weight_{i}"],
                description=self.cleaned_data[f"description_{i}"],
            )
            for i in range(MAX_CRITERIA)
            if self.cleaned_data.get(f"name_{i}")
        ]


class PanelMemberForm(forms.Form):
    """The email address of a municipality staff member or a secretariat member to seat."""

    email = forms.EmailField(label=_("メールアドレス（市町村職員・事務局）"))


class PanelInviteForm(forms.Form):
    """An external evaluator's email address and the proposals assigned to them."""

    email = forms.EmailField(label=_("外部評価者のメールアドレス"))
    proposals = forms.ModelMultipleChoiceField(
        label=_("担当する提案"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposals"].queryset = proposals


class DeclarationForm(forms.Form):
    """Yes or no, with a note (required for yes by the service)."""

    has_conflict = forms.TypedChoiceField(
        label=_("この提案との利益相反"),
        choices=[("no", _("利益相反はありません")), ("yes", _("利益相反があります"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("補足（利益相反がある場合は内容）"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReviewForm(forms.Form):
    """One score per criterion and a private note."""

    note = forms.CharField(
        label=_("所見（非公開）"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, criteria, scale_min: int, scale_max: int, review=None, **kwargs):
        super().__init__(*args, **kwargs)
        current = {s.criterion_id: s.value for s in review.scores.all()} if review else {}
        self.criteria = list(criteria)
        choices = [(str(v), str(v)) for v in range(scale_min, scale_max + 1)]
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=gettext("%(criterion)s（%(weight)s）")
                % {"criterion": criterion.name, "weight": criterion.weight},
                choices=choices,
                coerce=int,
                initial=str(current[criterion.pk]) if criterion.pk in current else None,
                widget=forms.RadioSelect,
            )
        if review is not None:
            self.fields["note"].initial = review.note
        self.order_fields([f"score_{c.pk}" for c in self.criteria] + ["note"])

    def values(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"score_{c.pk}"] for c in self.criteria}


class PanelRemoveForm(forms.Form):
    """Why a member leaves the panel (kept on record)."""

    reason = forms.CharField(
        label=_("外す理由"),
        max_length=2000,
        widget=forms.TextInput(attrs={"placeholder": _("例: 提案者との利害関係が判明したため")}),
    )


class DecisionForm(forms.Form):
    """Per proposal an outcome, the recorded reason and the note to the proposer."""

    def __init__(self, *args, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        self.proposals = list(proposals)
        for p in self.proposals:
            # No outcome is preselected: each proposal's result is a choice made on purpose.
            self.fields[f"outcome_{p.pk}"] = forms.ChoiceField(
                label=_("結果"),
                choices=[("", _("選んでください"))] + list(ProposalDecision.Outcome.choices),
                error_messages={"required": _("この提案の結果を選んでください。")},
            )
            self.fields[f"reason_{p.pk}"] = forms.CharField(
                label=_("決定の理由（内部記録）"),
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"feedback_{p.pk}"] = forms.CharField(
                label=_("提案者へのコメント"),
                max_length=5000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self) -> list[tuple]:
        return [
            (p, self[f"outcome_{p.pk}"], self[f"reason_{p.pk}"], self[f"feedback_{p.pk}"])
            for p in self.proposals
        ]

    def decisions(self) -> dict[int, DecisionInput]:
        return {
            p.pk: DecisionInput(
                outcome=self.cleaned_data[f"outcome_{p.pk}"],
                reason=self.cleaned_data[f"reason_{p.pk}"],
                feedback_note=self.cleaned_data[f"feedback_{p.pk}"],
            )
            for p in self.proposals
        }


class PublishForm(forms.Form):
    """The reasons for the selection, as they will be published."""

    public_reasons = forms.CharField(
        label=_("選定理由（公開されます）"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
