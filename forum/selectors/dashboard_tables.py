"""What the dashboard shows: its tables, their cells, and every number as a coded figure."""

from dataclasses import dataclass, field
from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy

from forum.models import Field, Municipality
from forum.models.projects import STAGE_ORDER, Stage

DASH = "—"


class DashboardTable(models.TextChoices):
    """The tables whose numbers are figures (the stale list names projects, so it is not one)."""

    FUNNEL = "funnel", gettext_lazy("課題からプロジェクト、社会実装、横展開まで")
    STAGES = "stages", gettext_lazy("現在のステージ別のプロジェクト数")
    STAGE_FIELD = "stage_field", gettext_lazy("分野×ステージ")
    STAGE_FIELD_MUNICIPALITY = "stage_field_municipality", gettext_lazy("分野×市町村×ステージ")
    IMPLEMENTATION = "implementation", gettext_lazy("社会実装率")
    MEDIAN_DAYS = "median_days", gettext_lazy("各ステージの滞在日数（中央値）")
    RESIDENTS = "residents", gettext_lazy("住民の声：市町村・分野ごとの困りごとと応援")


class Measure(models.TextChoices):
    """What a figure counts; its stage, field and municipality say of what (none: of all)."""

    PUBLISHED_CHALLENGES = "published_challenges", gettext_lazy("公開中の課題数")
    PROPOSALS = "proposals", gettext_lazy("公開中の課題に届いた提案数")
    PROJECTS = (
        "projects",
        gettext_lazy("プロジェクト数（ステージの指定があれば、現在そのステージにあるもの）"),
    )
    PROJECTS_REACHED = (
        "projects_reached",
        gettext_lazy("そのステージに一度でも到達したプロジェクト数"),
    )
    IMPLEMENTATION_RATE = "implementation_rate", gettext_lazy("社会実装率（%）")
    STAGE_EXITS = "stage_exits", gettext_lazy("次のステージへ移った件数")
    MEDIAN_DAYS = "median_days", gettext_lazy("滞在日数の中央値（日）")
    NEEDS_RECEIVED = "needs_received", gettext_lazy("届いた困りごとの件数")
    NEEDS_PUBLISHED = "needs_published", gettext_lazy("公開中の困りごとの件数")
    NEEDS_TO_CHALLENGES = "needs_to_challenges", gettext_lazy("課題になった困りごとの件数")
    NEED_SUPPORTS = "need_supports", gettext_lazy("困りごとへの応援の数")
    CHALLENGE_SUPPORTS = "challenge_supports", gettext_lazy("課題への応援の数")
    SUPPORTS_LOCAL = "supports_local", gettext_lazy("応援のうち、その市町村の住民からの数")
    SUPPORTS_ELSEWHERE = "supports_elsewhere", gettext_lazy("応援のうち、他の市町村の住民からの数")


@dataclass(frozen=True)
class Figure:
    """One number of the dashboard, with what it counts."""

    table: str
    measure: str
    value: int | float | None
    stage: str = ""
    field: Field | None = None
    municipality: Municipality | None = None


def cell_text(value) -> str:
    """How a cell reads in the page and in the CSV alike."""
    if value is None:
        return DASH
    if isinstance(value, float):
        return f"{value:.1f}"
    # A title in the visitor's language (forum.language.Localized) keeps its fallback mark.
    return value if isinstance(value, str) else str(value)


@dataclass
class Table:
    """One table of the dashboard, with the chart drawn from the same numbers."""

    key: str
    title: str
    headers: list[str]
    rows: list[list]
    description: str = ""
    chart: dict | None = None
    links: dict[int, str] = field(default_factory=dict)  # row index → URL of the row's first cell
    # A link under the table to the rows it leaves out (the stale list names only the first).
    more: str = ""
    more_url: str = ""

    @property
    def text_rows(self) -> list[list[str]]:
        """The rows as text, exactly as the page shows them and the CSV holds them."""
        return [[cell_text(v) for v in row] for row in self.rows]

    @property
    def html_rows(self) -> list[tuple[str, list[str]]]:
        """Each row's link (or empty) with its text cells, for the template."""
        return [(self.links.get(i, ""), row) for i, row in enumerate(self.text_rows)]


@dataclass
class Dashboard:
    public: bool
    today: date
    tables: dict[str, Table]
    project_count: int
    implemented_count: int
    implementation_rate: float | None
    figures: list[Figure] = field(default_factory=list)

    def table(self, key: str) -> Table:
        return self.tables[key]


ALL_STAGES = [*STAGE_ORDER, Stage.DISCONTINUED]
# The stages the funnel counts the projects that ever reached (implementation gives the rate).
FUNNEL_REACHED = [Stage.POC, Stage.IMPLEMENTATION, Stage.ROLLOUT]


def rate(part: int, whole: int) -> float | None:
    """`part` as a percentage of `whole`, one decimal; None when there is no whole."""
    return round(100 * part / whole, 1) if whole else None


def stage_labels() -> dict[str, str]:
    """Each stage's code and its label in the current language."""
    return {value: str(label) for value, label in Stage.choices}
