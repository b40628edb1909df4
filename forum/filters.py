"""One filter specification per public list, read by the HTML pages and the API alike.

A specification names each filter of a list and the values it allows, read from the
reference data or the models' choices when a request is parsed, so the pages and the API
can never accept different values. Parsing gives the values and, per filter, what was wrong
in the user's language. The pages are lenient: they tidy what people type (spaces, overlong
values) and drop what is still wrong, so an old shared link still shows a list. The API is
strict: it answers 400 with the errors (forum/api/filters.py).
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from django.db.models.functions import Coalesce, Least
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.models import (
    Call,
    CatalogDataset,
    Challenge,
    Department,
    Field,
    Municipality,
    Organisation,
    SdgGoal,
    SolutionProfile,
    StrategyTheme,
    Technology,
)
from forum.models.challenges import DesiredStage
from forum.models.projects import Stage
from forum.rules.fiscal_year import fiscal_year_of
from forum.rules.kpi_rollup import ADDITIVE_UNITS
from forum.selectors.projects.lists import PROJECT_SORTS

# Values of a choice in a query string are short codes; anything longer is cut before checking.
MAX_CODE_LENGTH = 50
MAX_TEXT_LENGTH = 200


class FilterError(ValueError):
    """A value a filter does not accept; the message is for the person who sent it."""


@dataclass(frozen=True)
class Choice:
    """A filter taking one value of a set: codes of reference data or of a model's choices.

    ``reference`` says the values are rows of reference data (the API documents them as
    such); ``default`` is the value when the filter is absent or, on a page, wrong.
    """

    name: str
    values: Callable[[], Iterable[str]]
    help_text: str = ""
    default: str = ""
    reference: bool = False

    def allowed(self) -> list[str]:
        """The accepted values, in order."""
        return list(self.values())

    def tidy(self, raw: str) -> str:
        """What a page makes of a value people typed or pasted."""
        return raw.strip()[:MAX_CODE_LENGTH]

    def clean(self, raw: str) -> str:
        """The value when it is one of the allowed ones; FilterError otherwise."""
        if raw not in set(self.allowed()):
            raise FilterError(
                _("「%(value)s」は指定できる値ではありません。") % {"value": raw[:MAX_CODE_LENGTH]}
            )
        return raw


@dataclass(frozen=True)
class Text:
    """Free text: every word must appear (see forum.selectors.challenges.text_condition)."""

    name: str
    help_text: str = "語句（空白で区切るとすべてを含むもの）"
    max_length: int = MAX_TEXT_LENGTH
    default: str = ""
    reference: bool = False

    def tidy(self, raw: str) -> str:
        """What a page makes of typed text: no NUL characters, no outer spaces, cut to length."""
        return raw.replace("\x00", "").strip()[: self.max_length]

    def clean(self, raw: str) -> str:
        """The text without outer spaces; FilterError when it is too long or holds NUL."""
        if "\x00" in raw:
            raise FilterError(_("使えない文字（NUL）が含まれています。"))
        value = raw.strip()
        if len(value) > self.max_length:
            raise FilterError(
                _("%(max)s文字以内で指定してください（%(length)s文字あります）。")
                % {"max": self.max_length, "length": len(value)}
            )
        return value


Filter = Choice | Text


@dataclass
class Parsed:
    """The outcome of parsing: every filter's value (its default when absent or dropped),
    the names that were given, and per filter what was wrong."""

    values: dict[str, str]
    given: set[str] = field(default_factory=set)
    errors: dict[str, list[str]] = field(default_factory=dict)


class FilterSpec:
    """The filters of one list, in the order pages and the API documentation show them."""

    def __init__(self, *filters: Filter) -> None:
        self.filters: dict[str, Filter] = {f.name: f for f in filters}

    def __iter__(self):
        return iter(self.filters.values())

    def __contains__(self, name: str) -> bool:
        return name in self.filters

    def parse(self, query: Mapping, *, strict: bool = False) -> Parsed:
        """Read the filters from a query mapping (one value per name).

        Lenient (pages): values are tidied first and a wrong one becomes the default.
        Strict (the API): values are taken as sent; a wrong one is an error.
        """
        parsed = Parsed(values={})
        for name, spec in self.filters.items():
            raw = query.get(name)
            parsed.values[name] = spec.default
            if raw is None:
                continue
            parsed.given.add(name)
            try:
                parsed.values[name] = spec.clean(raw if strict else spec.tidy(raw)) or spec.default
            except FilterError as error:
                parsed.errors[name] = [str(error)]
        return parsed

    def complete(self, values: Mapping) -> dict[str, str]:
        """Every filter: its value among ``values`` (names of other parameters are left out),
        else its default."""
        return {name: values.get(name, spec.default) for name, spec in self.filters.items()}


def _column(model, column: str) -> Callable[[], list[str]]:
    def load() -> list[str]:
        return list(model.objects.order_by(column).values_list(column, flat=True))

    return load


def _choices(values: Iterable[str]) -> Callable[[], list[str]]:
    frozen = list(values)
    return lambda: frozen


# The day a challenge stops taking proposals: its deadline, or its call's intake end if earlier
# (Challenge.closes_on, as the database computes it; a missing day on either side is skipped).
CLOSES_ON = Least(
    Coalesce("deadline", "call__intake_closes_on"), Coalesce("call__intake_closes_on", "deadline")
)

# The sort orders the lists offer: name → the columns the selectors order by.
CHALLENGE_SORTS = {
    "new": ("-published_at", "-pk"),
    # Soonest first; challenges without any closing day last.
    "deadline": (CLOSES_ON.asc(nulls_last=True), "-published_at", "-pk"),
    # Most residents' support (私も困っています) first.
    "support": ("-support_count", "-published_at", "-pk"),
    # Oldest change first: what an incremental harvest pages through.
    "updated": ("updated_at", "pk"),
}
SOLUTION_SORTS = {"new": ("-published_at", "-pk"), "updated": ("updated_at", "pk")}


# The member kinds the public directories list (municipalities and the secretariat are not).
MEMBER_KINDS = [k for k in Organisation.Kind.values if k not in ("municipality", "secretariat")]


def field_filter(help_text: str = "分野のスラッグ") -> Choice:
    """A forum field, by slug."""
    return Choice("field", _column(Field, "slug"), help_text, reference=True)


def municipality_filter(help_text: str = "市町村の地方公共団体コード（6桁）") -> Choice:
    """A public body, by its local government code."""
    return Choice("municipality", _column(Municipality, "code"), help_text, reference=True)


def technology_filter(help_text: str = "技術のスラッグ") -> Choice:
    """A technology of the vocabulary, by slug."""
    return Choice("technology", _column(Technology, "slug"), help_text, reference=True)


def department_filter(help_text: str = "担当所属のスラッグ") -> Choice:
    """A department (所属・局) of a municipality or the prefecture, by slug."""
    return Choice("department", _column(Department, "slug"), help_text, reference=True)


def _sdg_numbers() -> list[str]:
    return [str(n) for n in SdgGoal.objects.order_by("number").values_list("number", flat=True)]


def sdg_filter() -> Choice:
    """One of the 17 SDGs, by number."""
    return Choice("sdg", _sdg_numbers, "SDGsの目標の番号（1〜17）", reference=True)


def theme_filter() -> Choice:
    """A strategy theme, by slug."""
    return Choice("theme", _column(StrategyTheme, "slug"), "戦略テーマのスラッグ", reference=True)


def _dataset_slugs() -> list[str]:
    return list(
        CatalogDataset.objects.filter(is_active=True)
        .order_by("slug")
        .values_list("slug", flat=True)
    )


def dataset_filter() -> Choice:
    """A dataset of the catalogue listed on /opendata/, by slug."""
    return Choice(
        "dataset", _dataset_slugs, "データカタログのデータセットのスラッグ", reference=True
    )


def challenge_status_filter() -> Choice:
    """Whether a challenge takes proposals."""
    return Choice("status", _choices(Challenge.Status.values))


# /challenges/ (and each municipality's list) and /api/v1/challenges/
CHALLENGE_FILTERS = FilterSpec(
    field_filter(),
    municipality_filter(),
    department_filter(),
    technology_filter(),
    challenge_status_filter(),
    sdg_filter(),
    theme_filter(),
    dataset_filter(),
    Choice("stage", _choices(DesiredStage.values), "目指す段階"),
    Choice("call", _column(Call, "slug"), "募集回のスラッグ", reference=True),
    Text("q"),
    Choice(
        "sort",
        _choices(CHALLENGE_SORTS),
        "new: 新着順（既定）、deadline: 締切順、support: 住民の応援の多い順、"
        "updated: 更新の古い順（差分取得用）",
        default="new",
    ),
)

# /directory/solutions/ and /api/v1/solutions/
SOLUTION_FILTERS = FilterSpec(
    field_filter(),
    technology_filter(),
    Choice("kind", _choices(MEMBER_KINDS), "団体の種別"),
    municipality_filter("導入実績のある市町村のコード"),
    Choice("stage", _choices(SolutionProfile.Stage.values), "提供段階"),
    Text("q"),
    Choice(
        "sort",
        _choices(SOLUTION_SORTS),
        "new: 公開の新しい順（既定）、updated: 更新の古い順（差分取得用）",
        default="new",
    ),
)

# /directory/organisations/ (the kind) and /api/v1/organisations/
ORGANISATION_FILTERS = FilterSpec(
    Choice("kind", _choices(MEMBER_KINDS), "団体の種別"),
    Text("q"),
)


def _fiscal_years() -> list[str]:
    """Fiscal years a KPI value may be measured in: from FY2000 to the current one."""
    return [str(year) for year in range(2000, fiscal_year_of(timezone.localdate()) + 1)]


# /projects/ and /api/v1/projects/
PROJECT_FILTERS = FilterSpec(
    Choice("stage", _choices(Stage.values), "現在のステージ"),
    field_filter(),
    municipality_filter("参加市町村の地方公共団体コード（6桁）"),
    department_filter(),
    sdg_filter(),
    theme_filter(),
    dataset_filter(),
    Choice(
        "kpi_unit",
        _choices(str(u) for u in ADDITIVE_UNITS),
        "公開KPIの単位（見える化の成果指標の集計に含まれるプロジェクトだけ）",
    ),
    Choice(
        "kpi_year",
        _fiscal_years,
        "公開KPIの最新の値を測定した年度（kpi_unit と組み合わせて指定）",
    ),
    Choice(
        "sort",
        _choices(PROJECT_SORTS),
        "new: 開始の新しい順（既定）、updated: 更新の古い順（差分取得用）",
        default="new",
    ),
)
