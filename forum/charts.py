"""Charts drawn as inline SVG on the server, for pages without JavaScript (the annual report's
PDF). They take the same chart specifications the dashboard's tables carry (``Table.chart``:
type, labels, datasets), so a printed chart shows exactly the numbers of its table."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

PALETTE = ["#0b5394", "#38761d", "#e69138", "#674ea7", "#cc0000", "#45818e", "#999999", "#bf9000"]
STAGE_COLOURS = {
    "matched": "#45607d",
    "poc_planning": "#6a4c93",
    "poc": "#a14d00",
    "evaluation": "#7a5c00",
    "implementation": "#2e6b1f",
    "rollout": "#0b5394",
    "discontinued": "#6b6b6b",
}
WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 72  # the bottom holds the period labels and the legend


def _colour(dataset: dict, i: int) -> str:
    return STAGE_COLOURS.get(dataset.get("key", ""), PALETTE[i % len(PALETTE)])


def _scale_max(values: list[float]) -> float:
    """A round top for the axis: 1, 2 or 5 times a power of ten, at least the largest value."""
    top = max([v for v in values if v is not None] + [1])
    step = 1.0
    while step * 10 < top:
        step *= 10
    for factor in (1, 2, 5):
        if step * factor >= top:
            return step * factor
    return step * 10


def _number(value: float) -> str:
    return f"{value:g}"


def _frame(top: float, labels: list[str], plot_w: float, plot_h: float) -> list[str]:
    parts = []
    for i in range(5):
        value = top * i / 4
        y = TOP + plot_h - plot_h * i / 4
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + plot_w:.1f}" y2="{y:.1f}" '
            f'stroke="#dddddd" stroke-width="1"/>'
            f'<text x="{LEFT - 4}" y="{y + 3:.1f}" font-size="9" text-anchor="end">'
            f"{_number(value)}</text>"
        )
    slot = plot_w / max(len(labels), 1)
    for i, label in enumerate(labels):
        x = LEFT + slot * (i + 0.5)
        parts.append(
            f'<text x="{x:.1f}" y="{TOP + plot_h + 12:.1f}" font-size="9" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    return parts


def _legend(datasets: list[dict], plot_h: float) -> list[str]:
    parts, x, y = [], LEFT, TOP + plot_h + 30
    for i, dataset in enumerate(datasets):
        label = escape(dataset["label"])
        width = 14 + 10 * len(dataset["label"])
        if x + width > WIDTH - RIGHT:
            x, y = LEFT, y + 14
        parts.append(
            f'<rect x="{x}" y="{y - 8}" width="10" height="10" fill="{_colour(dataset, i)}"/>'
            f'<text x="{x + 13}" y="{y + 1}" font-size="9">{label}</text>'
        )
        x += width
    return parts


def chart_svg(chart: dict, *, title: str = "") -> SafeString:
    """A bar chart (grouped) or a line chart of the specification, as an SVG element."""
    labels, datasets = chart["labels"], chart["datasets"]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    values = [v for d in datasets for v in d["data"] if v is not None]
    top = _scale_max(values)
    parts = _frame(top, labels, plot_w, plot_h)
    slot = plot_w / max(len(labels), 1)
    for i, dataset in enumerate(datasets):
        colour = _colour(dataset, i)
        if chart.get("type") == "line":
            points = [
                (LEFT + slot * (j + 0.5), TOP + plot_h - plot_h * v / top)
                for j, v in enumerate(dataset["data"])
                if v is not None
            ]
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>'
            )
            parts += [
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{colour}"/>' for x, y in points
            ]
            continue
        bar_w = slot * 0.8 / len(datasets)
        for j, v in enumerate(dataset["data"]):
            height = plot_h * (v or 0) / top
            x = LEFT + slot * j + slot * 0.1 + bar_w * i
            parts.append(
                f'<rect x="{x:.1f}" y="{TOP + plot_h - height:.1f}" width="{bar_w:.1f}" '
                f'height="{height:.1f}" fill="{colour}"><title>{escape(dataset["label"])} '
                f"{escape(labels[j])}: {_number(v or 0)}</title></rect>"
            )
    parts += _legend(datasets, plot_h)
    return mark_safe(  # noqa: S308 - every text above is escaped, the rest are numbers
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="100%" role="img" aria-label="{escape(title)}" '
        f'font-family="Noto Sans CJK JP, sans-serif">{"".join(parts)}</svg>'
    )
