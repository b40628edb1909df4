"""The body of a dashboard table, rendered in one pass.

The table of fields × municipalities × stages has hundreds of rows of ten cells; rendered
cell by cell through the template language it took longer than counting the figures.
"""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def _row(link: str, cells: list[str]) -> str:
    first, *rest = (conditional_escape(cell) for cell in cells)
    if link:
        first = f'<a href="{conditional_escape(link)}">{first}</a>'
    return (
        f'<tr><th scope="row">{first}</th>' + "".join(f"<td>{cell}</td>" for cell in rest) + "</tr>"
    )


@register.filter
def table_body(table) -> SafeString:
    """The table's rows as <tr> elements: the first cell a row header, linked when the row has
    a link; every cell escaped."""
    return mark_safe("".join(_row(link, cells) for link, cells in table.html_rows if cells))
