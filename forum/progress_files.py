"""Reading and writing the progress sheet as CSV (UTF-8 with BOM; Excel's Shift_JIS is read
too) or Excel (.xlsx). The cells' meaning is forum.rules.progress_sheet's."""

import csv
import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from openpyxl import Workbook, load_workbook

from forum.rules.progress_sheet import COLUMNS, HEADERS, missing_headers
from forum.spreadsheets import BOM, spreadsheet_row

MAX_BYTES = 5 * 1024 * 1024
XLSX_MAGIC = b"PK\x03\x04"


class SheetUnreadable(ValueError):
    """The file as a whole cannot be read; the message says why and what to do."""


@dataclass
class RawSheet:
    """The rows of a file as cells by column key, numbered as the file numbers them."""

    rows: list[tuple[int, dict]] = field(default_factory=list)
    text: str = ""  # the file as UTF-8 CSV, to confirm the import without uploading it again


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SheetUnreadable(
        _("文字コードを読み取れません。UTF-8 または Shift_JIS のCSVで保存してください。")
    )


def _table(lines: list[list]) -> list[tuple[int, dict]]:
    if not lines:
        raise SheetUnreadable(_("ファイルが空です。"))
    headers = [str(h or "").strip().lstrip(BOM) for h in lines[0]]
    missing = missing_headers(headers)
    if missing:
        raise SheetUnreadable(
            _("列「%(missing)s」がありません。1行目に %(headers)s の見出しが必要です。")
            % {"missing": "」「".join(missing), "headers": "、".join(HEADERS)}
        )
    index = {h: i for i, h in enumerate(headers)}
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        if not any(str(c or "").strip() for c in line):
            continue
        cells = {}
        for key, header in COLUMNS:
            i = index[header]
            cells[key] = line[i] if i < len(line) else ""
        rows.append((number, cells))
    return rows


def _unquote(value):
    # The export prefixes text that Excel would run as a formula with an apostrophe.
    if isinstance(value, str) and value.startswith("'") and value[1:2] in ("=", "+", "-", "@"):
        return value[1:]
    return value


def sheet_read(data: bytes) -> RawSheet:
    """The rows of an uploaded CSV or .xlsx file; SheetUnreadable when it cannot be read."""
    if len(data) > MAX_BYTES:
        raise SheetUnreadable(_("ファイルが大きすぎます（5MBまで）。"))
    if data.startswith(XLSX_MAGIC):
        lines = _xlsx_lines(data)
    else:
        text = _decode(data)
        lines = list(csv.reader(io.StringIO(text)))
    lines = [[_unquote(c) for c in line] for line in lines]
    rows = _table(lines)
    return RawSheet(rows=rows, text=sheet_csv_from_lines(lines))


def _xlsx_lines(data: bytes) -> list[list]:
    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    except Exception:  # any broken workbook gets the same message
        raise SheetUnreadable(
            _("Excelファイルを読み取れません。.xlsx 形式で保存してください。")
        ) from None
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def sheet_csv_from_lines(lines: list[list]) -> str:
    """Rows read from any file as plain CSV text (dates as 2025-04-01)."""
    out = io.StringIO()
    writer = csv.writer(out)
    for line in lines:
        writer.writerow([_cell_text(c) for c in line])
    return out.getvalue()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    return str(value)


def sheet_csv(rows: list[list]) -> str:
    """The sheet as CSV text for Excel: BOM, the Japanese headers, formula-safe cells."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    writer.writerows(spreadsheet_row(row) for row in rows)
    return out.getvalue()


def sheet_xlsx(rows: list[list]) -> bytes:
    """The sheet as an Excel workbook with the same cells as the CSV."""
    book = Workbook()
    sheet = book.active
    sheet.title = "進捗"
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(spreadsheet_row(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
