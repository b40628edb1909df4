"""What makes a good match, expressed once as named clauses that each backend executes.

Text similarity across title, summary and description carries most of the weight;
structured clauses add a fixed amount when they hold, so each suggestion can say why.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

TEXT_FIELDS = {"title": 3.0, "summary": 2.0, "description": 1.0}

# Named structured clauses and their weights (added to the text score when they hold).
CLAUSES = {
    "same_field": 4.0,
    "shared_technology": 1.5,  # per shared technology, up to three
    "same_municipality": 1.0,
    "stage_fit": 0.5,
}

CLAUSE_LABELS = {
    "text": _("内容が近い"),
    "same_field": _("同じ分野"),
    "shared_technology": _("共通の技術"),
    "same_municipality": _("同じ市町村での導入実績"),
    "stage_fit": _("目指す段階に合う提供段階"),
}

# Which offer stages suit which desired stage.
STAGE_FIT = {"poc": {"poc_ready", "in_service"}, "implementation": {"in_service"}}


@dataclass
class Reason:
    """One clause that contributed to a suggestion."""

    clause: str
    score: float
    detail: str = ""

    @property
    def label(self) -> str:
        """The clause's name for people, with its detail."""
        text = str(CLAUSE_LABELS[self.clause])
        return f"{text}: {self.detail}" if self.detail else text


@dataclass
class Suggestion:
    """A ranked counterpart with its total score and reasons."""

    doc_id: str
    score: float
    reasons: list[Reason] = field(default_factory=list)
