"""The progress sheet: one row per stage change, milestone, report or KPI value of a project.

The export writes it and the import reads it, so a sheet exported and imported again changes
nothing. This module says what a row is and how each cell is read, with a message in the
user's language for every cell it cannot read; it touches no database.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from forum.models.projects import Stage

# The columns in order, with their Japanese headers (the sheet keeps them in every language).
COLUMNS = [
    ("kind", "種別"),
    ("project_id", "プロジェクトID"),
    ("project_title", "プロジェクト名"),
    ("on", "日付"),
    ("item", "項目"),
    ("value", "値"),
    ("text", "内容"),
]
HEADERS = [header for _key, header in COLUMNS]

STAGE, MILESTONE, REPORT, KPI_VALUE = "ステージ", "マイルストーン", "報告", "KPI値"
KINDS = (STAGE, MILESTONE, REPORT, KPI_VALUE)
DONE, NOT_DONE = "完了", "未完了"


@dataclass(frozen=True)
class SheetRow:
    """One row, read: what it is, of which project, and its cells as values."""

    number: int  # the row's number in the file (the header is row 1)
    kind: str
    project_id: int
    on: date
    item: str = ""
    value: Decimal | None = None
    text: str = ""


class RowError(ValueError):
    """A row that cannot be read; the message names the cell and what is wrong."""


def missing_headers(headers: list[str]) -> list[str]:
    """The required headers a sheet lacks."""
    given = {str(h or "").strip() for h in headers}
    return [h for h in HEADERS if h not in given]


def stage_of(text: str) -> str:
    """The stage named by its Japanese or English label or its code."""
    text = text.strip()
    for value, label in Stage.choices:
        if text in (value, str(label)):
            return value
    raise RowError(
        _("ステージ「%(text)s」はありません。次のいずれかを書いてください：%(stages)s")
        % {"text": text, "stages": "、".join(str(label) for _v, label in Stage.choices)}
    )


def stage_label(stage: str) -> str:
    """How the sheet writes a stage: its Japanese label."""
    return str(dict(Stage.choices)[stage])


def _date(raw, *, today: date | None) -> date:
    """The cell's date; a date after ``today`` is refused (None: any date, as a due date)."""
    if isinstance(raw, datetime):
        day = raw.date()
    elif isinstance(raw, date):
        day = raw
    else:
        text = str(raw or "").strip().replace("/", "-")
        try:
            day = date.fromisoformat(text)
        except ValueError:
            raise RowError(
                _("日付「%(text)s」を読み取れません。2025-04-01 の形で書いてください。")
                % {"text": text}
            ) from None
    if today is not None and day > today:
        raise RowError(
            _("日付に未来の日付（%(date)s）は指定できません。") % {"date": day.isoformat()}
        )
    return day


def _decimal(raw) -> Decimal | None:
    text = str(raw if raw is not None else "").strip().replace(",", "")
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        raise RowError(_("値「%(text)s」は数値ではありません。") % {"text": text}) from None


def _project_id(raw) -> int:
    text = str(raw if raw is not None else "").strip()
    if text.endswith(".0"):  # Excel keeps whole numbers as floats
        text = text[:-2]
    if not text.isdigit():
        raise RowError(_("プロジェクトID「%(text)s」は数字ではありません。") % {"text": text})
    return int(text)


def _text(raw) -> str:
    return "" if raw is None else str(raw).strip()


def row_read(number: int, cells: dict, *, today: date) -> SheetRow:
    """Read one row (cells by column key); RowError says what is wrong."""
    kind = _text(cells.get("kind"))
    if kind not in KINDS:
        raise RowError(
            _("種別「%(kind)s」はありません。%(kinds)s のいずれかを書いてください。")
            % {"kind": kind, "kinds": "、".join(KINDS)}
        )
    row = SheetRow(
        number=number,
        kind=kind,
        project_id=_project_id(cells.get("project_id")),
        # A milestone's due date may lie ahead; what happened (stages, reports) may not.
        on=_date(cells.get("on"), today=None if kind == MILESTONE else today),
        item=_text(cells.get("item")),
        value=_decimal(cells.get("value")),
        text=_text(cells.get("text")),
    )
    if kind == STAGE:
        stage_of(row.item)
    elif kind in (MILESTONE, KPI_VALUE) and not row.item:
        raise RowError(_("項目（名称）を書いてください。"))
    elif kind == KPI_VALUE and row.value is None:
        raise RowError(_("KPIの値を書いてください。"))
    elif kind == REPORT and not row.text:
        raise RowError(_("報告の内容を書いてください。"))
    if kind == MILESTONE and row.text not in (DONE, NOT_DONE, ""):
        raise RowError(
            _("マイルストーンの内容には「%(done)s」か「%(open)s」を書いてください。")
            % {"done": DONE, "open": NOT_DONE}
        )
    return row


def plain_decimal(value: Decimal) -> str:
    """A value as the sheet writes it: no thousands separators, no trailing zeros."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
