"""Panel packs as PDF, one per recipient, built from the recipient's selectors.

Rendered by ``prevent_cms.pdf`` (the one locked WeasyPrint fetcher: own static files only).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from prevent_cms.notifications import language_of
from prevent_cms.pdf import render_pdf
from referrals.models import PoliceAssessment
from referrals.selectors import Access, referral_accesses

from .models import Panel
from .selectors import (
    agency_updates_visible_to,
    agenda_items_visible_to,
    assessment_compare,
    consents_visible_to,
    interventions_visible_to,
    panel_actions_visible_to,
    previous_assessment_in,
    reviews_visible_to,
    vulnerability_assessments_visible_to,
)
from .timeline import agenda_since_last_panel

CONFIDENTIALITY = _(
    "OFFICIAL-SENSITIVE. This pack is for the named recipient only, for the purpose of the "
    "Channel panel (Counter-Terrorism and Security Act 2015, ss.36–41). Do not copy, forward "
    "or share it. Destroy it securely after the meeting."
)


def previous_panel(panel: Panel) -> Panel | None:
    return (
        Panel.objects.filter(local_authority_id=panel.local_authority_id, date__lt=panel.date)
        .order_by("-date", "-created_at", "-pk")
        .first()
    )


def _case_rows(recipient, panel: Panel) -> list[Prefetch]:
    """What each case section shows, each relation read once for the whole agenda."""
    return [
        Prefetch(
            "referral__agenda_items",
            queryset=agenda_items_visible_to(recipient)
            .filter(panel__date__lt=panel.date, outcome__isnull=False)
            .select_related("outcome")
            .order_by("-panel__date"),
            to_attr="pack_earlier_decisions",
        ),
        Prefetch(
            "referral__agency_updates",
            queryset=agency_updates_visible_to(recipient).select_related("author"),
            to_attr="pack_updates",
        ),
        Prefetch(
            "referral__vulnerability_assessments",
            queryset=vulnerability_assessments_visible_to(recipient).prefetch_related(
                "framework__factors"
            ),
            to_attr="pack_assessments",
        ),
        Prefetch(
            "referral__consents",
            queryset=consents_visible_to(recipient)[:3],
            to_attr="pack_consents",
        ),
        Prefetch(
            "referral__interventions",
            queryset=interventions_visible_to(recipient),
            to_attr="pack_interventions",
        ),
        Prefetch(
            "referral__reviews",
            queryset=reviews_visible_to(recipient)[:3],
            to_attr="pack_reviews",
        ),
        Prefetch(
            "referral__panel_actions",
            queryset=panel_actions_visible_to(recipient).select_related("owner"),
            to_attr="pack_actions",
        ),
    ]


def pack_context(panel: Panel, recipient, on: datetime.date) -> dict:
    """Only what ``recipient`` may see: every row comes from their own selectors.

    The number of queries does not depend on the number of cases: each relation is
    prefetched for the whole agenda, and access is decided for all cases at once.
    """
    items = list(
        agenda_items_visible_to(recipient)
        .filter(panel=panel)
        .order_by("order")
        .select_related("outcome")
        .prefetch_related(*_case_rows(recipient, panel))
    )
    access = referral_accesses(recipient, [item.referral for item in items])
    full = [item.referral for item in items if access[item.referral_id] == Access.FULL]
    # Police gateway detail is for full access only: read for those cases and no others.
    prefetch_related_objects(
        full,
        Prefetch(
            "assessments",
            queryset=PoliceAssessment.objects.select_related("concern_type"),
            to_attr="pack_police",
        ),
    )
    cases = []
    for item in items:
        referral = item.referral
        assessments = referral.pack_assessments
        assessment = assessments[0] if assessments else None
        previous = previous_assessment_in(assessment, assessments) if assessment else None
        police = getattr(referral, "pack_police", None)
        cases.append(
            {
                "item": item,
                "referral": referral,
                "full": access[referral.pk] == Access.FULL,
                "police": police[0] if police else None,
                "updates": referral.pack_updates,
                "assessment": assessment,
                "changes": assessment_compare(assessment, previous) if assessment else [],
                "consents": referral.pack_consents,
                "interventions": referral.pack_interventions,
                "reviews": referral.pack_reviews,
                "actions": referral.pack_actions,
                "earlier_decisions": referral.pack_earlier_decisions,
            }
        )
    previous = previous_panel(panel)
    previous_actions = (
        list(panel_actions_visible_to(recipient).filter(panel=previous).select_related("owner"))
        if previous
        else []
    )
    label = f"{recipient.display_name} · {date_format(on, 'j F Y')}"
    return {
        "panel": panel,
        "recipient": recipient,
        "css_label": _css_string(label),
        "on": on,
        "cases": cases,
        "members": list(panel.members.select_related("agency").order_by("last_name")),
        "attended": set(panel.attended.values_list("pk", flat=True)),
        "previous": previous,
        "previous_actions": previous_actions,
        "show_previous_minutes": previous is not None and recipient.pk == panel.chair_id,
        "confidentiality": CONFIDENTIALITY,
    }


def _css_string(text: str) -> str:
    """Safe inside a double-quoted CSS string in a <style> element."""
    cleaned = "".join(ch for ch in text if ch.isprintable() and ch not in "<>")
    return cleaned.replace("\\", "\\\\").replace('"', '\\"')


def add_since_last_panel(context: dict, recipient) -> None:
    """Give each case of the pack what changed since the last panel that discussed it
    (``case["since"]``), from the recipient's timeline: read for the whole agenda at once,
    so its cost does not grow with the cases either."""
    referrals = [case["referral"] for case in context["cases"]]
    if not referrals:
        return
    accesses = referral_accesses(recipient, referrals)
    since = agenda_since_last_panel(recipient, context["panel"], accesses)
    for case in context["cases"]:
        previous, entries = since[case["referral"].pk]
        case["since"] = {"previous": previous, "entries": entries}


@dataclass(frozen=True)
class RenderedPack:
    content: bytes
    pages: int
    referral_ids: list[str]  # the cases this copy shows, in agenda order


def build_pack(
    panel: Panel, recipient, on: datetime.date | None = None, *, language: str = ""
) -> RenderedPack:
    """The recipient's PDF and the cases in it, from one reading of their selectors.

    Worded in ``language`` (the asker's own copy: the language they asked in), else in the
    recipient's (issue 19): each member gets a copy, and each reads their own, whoever asked
    for the pack."""
    on = on or timezone.localdate()
    with translation.override(language or language_of(recipient)):
        context = pack_context(panel, recipient, on)
        add_since_last_panel(context, recipient)
        pdf = render_pdf("channel/pack.html", context)
    referral_ids = [str(case["referral"].pk) for case in context["cases"]]
    return RenderedPack(content=pdf.content, pages=pdf.pages, referral_ids=referral_ids)


def render_pack(panel: Panel, recipient, on: datetime.date | None = None) -> tuple[bytes, int]:
    pack = build_pack(panel, recipient, on)
    return pack.content, pack.pages
