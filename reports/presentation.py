"""Statistics as rows for tables, SVG bar charts and spreadsheets: labels, marks and bars."""

from __future__ import annotations

import textwrap

from django.utils.translation import gettext_lazy as _

from accounts.models import Sector
from consultations.models import Outcome as ConsultationOutcome
from referrals.choices import AGE_GROUP_LABELS, Gender, ReceivedVia
from referrals.models import ConcernType

from .suppression import display

AGE_LABELS = AGE_GROUP_LABELS
OUTCOME_LABELS = {
    "no_further_action": _("No further action"),
    "signposted": _("Signposted to other services"),
    "police_led": _("Police-led partnership"),
    "discussed_at_panel": _("Discussed at a Channel panel, not adopted (yet)"),
    "adopted": _("Adopted as a Channel case"),
    "not_adopted": _("Not adopted by the panel"),
    "consent_declined": _("Adopted, consent declined"),
    "exited": _("Exited Channel"),
    "open": _("Open, no decision yet"),
}
JOURNEY_LABELS = {
    "referrals": _("Referrals"),
    "discussed_at_panel": _("Discussed at a Channel panel"),
    "adopted": _("Adopted as a Channel case"),
}
TABLE_TITLES = {
    "by_sector": _("Referrals by sector"),
    "by_route": _("Referrals by how they were received"),
    "by_concern_type": _("Referrals by type of concern"),
    "by_age_group": _("Referrals by age at referral"),
    "by_gender": _("Referrals by gender"),
    "outcomes": _("Outcome of referrals"),
    "journey": _("The journey: referrals, discussed at panel, adopted"),
    "consultations_by_sector": _("Consultations by sector of the person who asked"),
    "consultations_by_outcome": _("Consultations by outcome"),
}
STATISTICS_TABLES = (
    "journey",
    "by_sector",
    "by_route",
    "by_concern_type",
    "by_age_group",
    "by_gender",
    "outcomes",
)
CONSULTATION_TABLES = ("consultations_by_sector", "consultations_by_outcome")
CHART_WIDTH = 400
BAR_HEIGHT = 22
# Chart labels wrap onto lines of this many characters (never cut): each extra line adds one
# LINE_HEIGHT to its row.
LABEL_CHARACTERS = 24
LINE_HEIGHT = 17


def area_label(stats: dict) -> str:
    """The area a report covers: a local authority's name, or a whole police force."""
    if stats.get("police_force"):
        return _("All local authorities in %(force)s") % {"force": stats["police_force"]["name"]}
    return stats["local_authority"]["name"]


def labels_for(table: str) -> dict:
    if table in ("by_sector", "consultations_by_sector"):
        return dict(Sector.choices)
    if table == "by_route":
        return dict(ReceivedVia.choices)
    if table == "by_concern_type":
        return {concern.code: str(concern) for concern in ConcernType.objects.all()}
    if table == "by_age_group":
        return AGE_LABELS
    if table == "by_gender":
        return dict(Gender.choices)
    if table == "outcomes":
        return OUTCOME_LABELS
    if table == "consultations_by_outcome":
        return dict(ConsultationOutcome.choices)
    return JOURNEY_LABELS


def table_rows(stats: dict, table: str) -> list[dict]:
    """``code``, ``label``, ``value`` (None when suppressed), ``shown`` and bar geometry."""
    labels = labels_for(table)
    cells = stats[table]
    biggest = max((v for v in cells.values() if v), default=0)
    rows = []
    top = 0
    for code, value in cells.items():
        width = round(CHART_WIDTH * value / biggest) if value and biggest else 0
        label = str(labels.get(code, code))
        lines = textwrap.wrap(label, LABEL_CHARACTERS) or [label]
        rows.append(
            {
                "code": code,
                "label": label,
                "label_lines": lines,
                "value": value,
                "shown": display(value),
                "bar_width": width,
                "y": top,
                "text_y": top + 15,
            }
        )
        top += BAR_HEIGHT + LINE_HEIGHT * (len(lines) - 1)
    return rows


def _chart_height(rows: list[dict]) -> int:
    if not rows:
        return 0
    last = rows[-1]
    return last["y"] + BAR_HEIGHT + LINE_HEIGHT * (len(last["label_lines"]) - 1)


def statistics_tables(stats: dict) -> list[dict]:
    tables = []
    keys = STATISTICS_TABLES + (CONSULTATION_TABLES if "total_consultations" in stats else ())
    for key in keys:
        if key not in stats:  # figures kept from before a table existed (by_route)
            continue
        rows = table_rows(stats, key)
        tables.append(
            {
                "key": key,
                "title": str(TABLE_TITLES[key]),
                "rows": rows,
                "chart_height": _chart_height(rows),
            }
        )
    return tables


MEASURE_LABELS = {
    "to_pickup": _("Referral to officer pickup"),
    "to_decision": _("Referral to police decision"),
    "to_panel": _("Referral to first Channel panel"),
    "adoption_to_intervention": _("Adoption to first intervention"),
}
UNIT_LABELS = {"working_days": _("working days"), "days": _("days")}
REVIEW_LABELS = {
    "overdue_reviews": _("Reviews overdue today: support, consent reassessment and post-exit"),
    "overdue_support_reviews": _("Support reviews overdue today (due monthly from adoption)"),
    "overdue_consent_reassessments": _("Consent reassessments overdue today"),
    "post_exit_6_months_due": _("6-month post-exit reviews due in the period"),
    "post_exit_6_months_done": _("6-month post-exit reviews due in the period and done"),
    "post_exit_6_months_overdue": _("6-month post-exit reviews overdue today"),
    "post_exit_12_months_due": _("12-month post-exit reviews due in the period"),
    "post_exit_12_months_done": _("12-month post-exit reviews due in the period and done"),
    "post_exit_12_months_overdue": _("12-month post-exit reviews overdue today"),
}


def _number(value) -> str:
    if value is None:
        return ""
    return f"{value:g}" if isinstance(value, float) else str(value)


def timeliness_rows(timeliness: dict) -> list[dict]:
    """One row per measure: label, threshold text and shown count, median, within, share.

    ``None`` is shown as the suppression mark when the count is suppressed, and as a blank
    (nothing to take a median of) when no referral reached the step.
    """
    rows = []
    for code, measure in timeliness["measures"].items():
        suppressed = measure["count"] is None

        def shown(value, measure=measure, suppressed=suppressed) -> str:
            if value is None:
                return display(None) if suppressed or measure["count"] else ""
            return _number(value)

        unit = str(UNIT_LABELS[measure["unit"]])
        share = measure["share_within"]

        rows.append(
            {
                "code": code,
                "label": str(MEASURE_LABELS[code]),
                "unit": unit,
                "threshold": f"{measure['threshold']} {unit}",
                "count": display(measure["count"]),
                "median": shown(measure["median"]),
                "within": shown(measure["within"]),
                "share": shown(None if share is None else round(100 * share, 1))
                + ("%" if share is not None else ""),
            }
        )
    return rows


def review_rows(timeliness: dict) -> list[dict]:
    return [
        {"code": code, "label": str(REVIEW_LABELS.get(code, code)), "shown": display(value)}
        for code, value in timeliness["reviews"].items()
    ]
