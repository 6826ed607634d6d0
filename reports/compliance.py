"""The compliance report's content, section by section, as plain rows (no personal data).

Channel and training figures come from functions named for what they count, reading the other
apps defensively: a model or table not yet there gives ``None`` ("not available"), never a
crash. Statistics in the report are suppressed: the report leaves the organisation.
"""

from __future__ import annotations

from .models import ToolkitSection
from .periods import Period
from .presentation import statistics_tables
from .selectors import (
    _model_with_table,
    compliance_entries_visible_to,
    plan_actions_visible_to,
    statistics_for,
)
from .suppression import display, suppress_statistics


def channel_panel_figures(*, local_authority, period: Period) -> dict | None:
    """Panels scheduled, held, and held with quorum in the period; None without Channel."""
    panel = _model_with_table("channel", "Panel")
    if panel is None:
        return None
    panels = panel.objects.filter(
        local_authority=local_authority, date__gte=period.start, date__lte=period.end
    )
    return {
        "panels_scheduled": panels.count(),
        "panels_held": panels.filter(held_at__isnull=False).count(),
        "panels_quorate": panels.filter(held_at__isnull=False, quorum_met=True).count(),
    }


def compliance_report(*, user, local_authority, period: Period) -> dict:
    """Everything the exports write: sections with figures, actions and entries."""
    stats = suppress_statistics(statistics_for(local_authority=local_authority, period=period))
    tables = statistics_tables(stats)
    panels = channel_panel_figures(local_authority=local_authority, period=period)
    sections = []
    for code, label in ToolkitSection.choices:
        section = {"code": code, "label": str(label), "figures": [], "tables": []}
        if code == ToolkitSection.REFERRAL_PATHWAY:
            section["figures"].append(("Total referrals", display(stats["total_referrals"])))
            section["tables"] = [t for t in tables if t["key"] != "journey"]
        if code == ToolkitSection.CHANNEL_PANEL:
            section["tables"] = [t for t in tables if t["key"] == "journey"]
            if panels is None:
                section["figures"].append(("Channel panel figures", "not available"))
            else:
                section["figures"] += [
                    ("Panels scheduled", str(panels["panels_scheduled"])),
                    ("Panels held", str(panels["panels_held"])),
                    ("Panels held with quorum", str(panels["panels_quorate"])),
                ]
        sections.append(section)
    by_code = {s["code"]: s for s in sections}
    for action in plan_actions_visible_to(user).iterator():
        by_code[action.section].setdefault("actions", []).append(
            [action.description, action.owner, action.due_date.isoformat(), action.rag]
        )
    for entry in compliance_entries_visible_to(user).iterator():
        by_code[entry.section].setdefault("entries", []).append(
            [entry.date.isoformat(), entry.title, entry.notes]
        )
    return {
        "local_authority": local_authority.name,
        "period": period.label,
        "sections": sections,
    }


def report_rows(report: dict):
    """The report as spreadsheet rows: section, item, detail columns."""
    yield ["Prevent duty compliance report", report["local_authority"], report["period"]]
    yield ["Counts from 1 to 4, and counts that would reveal them, are shown as [c]."]
    for section in report["sections"]:
        yield []
        yield [section["label"]]
        for name, value in section["figures"]:
            yield ["", name, value]
        for table in section["tables"]:
            yield ["", table["title"]]
            for row in table["rows"]:
                yield ["", row["label"], row["shown"]]
        for action in section.get("actions", []):
            yield ["", "Action", *action]
        for entry in section.get("entries", []):
            yield ["", "Entry", *entry]
