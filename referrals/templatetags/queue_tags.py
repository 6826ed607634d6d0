"""The rows of the officer's triage queue, written by one tag.

The queue is the page officers keep open all day and the one measured against the framework
floor (docs/performance.md, measurement 1). Django's template engine spends about 90 µs on
each of its rows (a dozen variables, three conditions, two translations); the same markup
built here with ``format_html`` costs a fraction of that. The markup is the GOV.UK table row
the template held, unchanged; ``tests/referrals/test_views.py`` reads it back.
"""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext

from prevent_cms.templatetags.status_tags import state_tag

register = template.Library()

CELLS = (
    '<tr class="govuk-table__row">'
    '<td class="govuk-table__cell"><a class="govuk-link" href="{}">{}</a>{}</td>'
    '<td class="govuk-table__cell">{}</td>'
    '<td class="govuk-table__cell">{}</td>'
    '<td class="govuk-table__cell">{}<br>'
    '<span class="govuk-hint govuk-!-font-size-16">{}</span></td>'
    '<td class="govuk-table__cell">{}</td>'
)
ROW = CELLS + '<td class="govuk-table__cell"></td></tr>'
ROW_WITH_CLOCK = (
    CELLS + '<td class="govuk-table__cell">'
    '<strong class="govuk-tag govuk-tag--{}">{}</strong>{}</td></tr>'
)


@register.simple_tag
def queue_rows(rows: list[dict]) -> str:
    """``<tr>`` elements for the rows ``referrals.views.lists._queue_row`` describes.

    One ``format_html`` a row; what repeats (tags of a state, "Urgent", "(overdue)") is
    made once a page.
    """
    urgent = format_html(
        '<br><strong class="govuk-tag govuk-tag--red">{}</strong>', gettext("Urgent")
    )
    overdue = format_html('<span class="govuk-visually-hidden"> {}</span>', gettext("(overdue)"))
    tags: dict[str, str] = {}
    html = []
    for row in rows:
        state = row["state"]
        if state not in tags:
            tags[state] = state_tag(state, row["state_label"])
        cells = (
            row["url"],
            row["reference"],
            urgent if row["urgent"] else "",
            row["person"],
            row["local_authority"],
            row["agency"],
            row["sector"],
            tags[state],
        )
        if row["clock_label"]:
            html.append(
                format_html(
                    ROW_WITH_CLOCK,
                    *cells,
                    row["clock_colour"],
                    row["clock_label"],
                    overdue if row["clock_overdue"] else "",
                )
            )
        else:
            html.append(format_html(ROW, *cells))
    return format_html_join("\n", "{}", ((row,) for row in html))
