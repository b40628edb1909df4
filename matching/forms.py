"""Forms of the matching pages: shape only; the services check the rules."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from forum.forms.fields import fields_choice, municipalities_choice, technologies_choice
from matching.query import CLAUSE_LABELS

KEYWORD_SEPARATORS = re.compile(r"[,、，;；\n]+")


class InterestForm(forms.Form):
    """A saved interest: a name, the criteria, and whether to notify."""

    name = forms.CharField(
        label=_("名前"),
        max_length=100,
        help_text=_("一覧とお知らせに表示されます。例: 府内のドローン活用"),
    )
    fields = fields_choice()
    technologies = technologies_choice()
    municipalities = municipalities_choice(
        label=_("市町村"), help_text=_("Ctrl（Macは⌘）キーを押しながら選ぶと、複数を選べます。")
    )
    keywords = forms.CharField(
        label=_("キーワード"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "読点（、）・カンマ・改行で区切ると、どれか1つを含む課題が対象になります。"
            "空白で区切った語は、すべてを含む課題が対象です。"
            "全角・半角や、ドローン = drone のような言い換えも同じ言葉として扱います。"
        ),
    )
    is_active = forms.BooleanField(
        label=_("新しい課題が公開されたら通知する"), required=False, initial=True
    )

    def clean_keywords(self) -> list[str]:
        """The keywords as a list, split on commas, 読点 and new lines."""
        raw = self.cleaned_data.get("keywords") or ""
        return [part.strip() for part in KEYWORD_SEPARATORS.split(raw) if part.strip()]

    @classmethod
    def initial_for(cls, interest) -> dict:
        """The form's initial values for an existing interest."""
        return {
            "name": interest.name,
            "fields": list(interest.fields.all()),
            "technologies": list(interest.technologies.all()),
            "municipalities": list(interest.municipalities.all()),
            "keywords": "、".join(interest.keywords),
            "is_active": interest.is_active,
        }


class KnownClausesField(forms.MultipleChoiceField):
    """Names of matching clauses: unknown names are dropped rather than refused, so a page
    rendered before a clause was renamed still records its vote; known ones come once each, in
    the query's order."""

    def __init__(self, **kwargs):
        super().__init__(choices=[(clause, clause) for clause in CLAUSE_LABELS], **kwargs)

    def to_python(self, value) -> list[str]:
        chosen = set(super().to_python(value))
        return [clause for clause in CLAUSE_LABELS if clause in chosen]


class FeedbackForm(forms.Form):
    """A vote on one shown pair."""

    challenge = forms.IntegerField(min_value=1)
    solution = forms.IntegerField(min_value=1)
    useful = forms.TypedChoiceField(
        choices=[("1", _("役に立つ")), ("0", _("役に立たない"))], coerce=lambda v: v == "1"
    )
    # The kinds of reason shown with the pair (hidden inputs of the vote's form).
    reason = KnownClausesField(required=False)
