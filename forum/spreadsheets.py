"""CSV that people open in Excel: UTF-8 with a byte order mark, and no cell that runs as a formula.

A title typed by a member could start with "=" (or "+", "-", "@"); Excel would read it as a
formula. Such text cells get a leading apostrophe, which Excel shows as plain text; numbers,
negative ones included, are left as they are.
"""

import re

BOM = "\ufeff"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?\d[\d,]*(\.\d+)?%?$")


def spreadsheet_safe(value):
    """The cell's value, with text that would start a formula made plain."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _NUMBER.match(value):
        return "'" + value
    return value


def spreadsheet_row(values) -> list:
    """A row of cells made safe."""
    return [spreadsheet_safe(value) for value in values]
