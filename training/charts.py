"""Server-drawn SVG bar charts of coverage, readable without JavaScript.

Each chart is a stacked horizontal bar per group (in date, expiring soon, expired, no Prevent
course), with the percentage in date written beside it. Colours have at least 3:1 contrast
with white; the page always shows the same figures in a table.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .selectors import CoverageRow

WIDTH = 760
LABEL_WIDTH = 300
BAR_X = 310
BAR_WIDTH = 370
ROW_HEIGHT = 34
BAR_HEIGHT = 22
TOP = 44
MAX_LABEL = 32


def series() -> list[tuple[str, str, str]]:
    """(attribute, label, colour) for each part of a bar."""
    return [
        ("current", _("Current"), "#00703c"),
        ("expiring_soon", _("Expiring soon"), "#b35900"),
        ("expired", _("Expired"), "#d4351c"),
        ("untrained", _("No Prevent course"), "#505a5f"),
    ]


@dataclass
class Segment:
    x: float
    width: float
    colour: str


@dataclass
class Bar:
    label: str
    y: int
    text_y: int
    percent: str
    segments: list[Segment] = field(default_factory=list)


@dataclass
class Chart:
    id: str
    title: str
    description: str
    height: int
    bars: list[Bar]
    legend: list[dict]
    width: int = WIDTH
    label_x: int = LABEL_WIDTH
    bar_x: int = BAR_X
    bar_width: int = BAR_WIDTH
    bar_height: int = BAR_HEIGHT
    percent_x: int = BAR_X + BAR_WIDTH + 10


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1].rstrip() + "…"


def coverage_chart(chart_id: str, title: str, rows: list[CoverageRow]) -> Chart:
    parts = series()
    legend = []
    x = 0
    for _name, label, colour in parts:
        legend.append({"x": x, "text_x": x + 20, "label": label, "colour": colour})
        x += 30 + 9 * len(str(label))
    bars = []
    for index, row in enumerate(rows):
        y = TOP + index * ROW_HEIGHT
        bar = Bar(
            label=_short(row.label),
            y=y,
            text_y=y + BAR_HEIGHT // 2 + 5,
            percent=(
                f"{row.percent_in_date:g}%" if row.percent_in_date is not None else _("no staff")
            ),
        )
        offset = float(BAR_X)
        for name, _label, colour in parts:
            count = getattr(row, name)
            if not row.staff or not count:
                continue
            width = BAR_WIDTH * count / row.staff
            bar.segments.append(Segment(round(offset, 2), round(width, 2), colour))
            offset += width
        bars.append(bar)
    described = "; ".join(
        _("%(group)s: %(percent)s in date of %(staff)s staff")
        % {
            "group": row.label,
            "percent": f"{row.percent_in_date:g}%" if row.percent_in_date is not None else "0%",
            "staff": row.staff,
        }
        for row in rows
    )
    return Chart(
        id=chart_id,
        title=title,
        description=described,
        height=TOP + max(len(rows), 1) * ROW_HEIGHT + 6,
        bars=bars,
        legend=legend,
    )
