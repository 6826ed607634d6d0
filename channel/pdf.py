"""Panel packs as PDF (WeasyPrint), one per recipient, built from the recipient's selectors.

WeasyPrint would otherwise fetch any URL or local file named in the HTML (a published
advisory); ``StaticOnlyFetcher`` refuses everything but this app's own static files.
"""

from __future__ import annotations

import datetime
import io
import mimetypes

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from referrals.selectors import Access, referral_access

from .models import Panel, PanelAction
from .selectors import (
    agency_updates_visible_to,
    agenda_items_visible_to,
    assessment_changes,
    consents_visible_to,
    interventions_visible_to,
    latest_assessment,
    panel_actions_visible_to,
    reviews_visible_to,
)

BASE_URL = "https://pack.invalid/"
CONFIDENTIALITY = (
    "OFFICIAL-SENSITIVE. This pack is for the named recipient only, for the purpose of the "
    "Channel panel (Counter-Terrorism and Security Act 2015, ss.36–41). Do not copy, forward "
    "or share it. Destroy it securely after the meeting."
)


class RefusedFetch(ValueError):
    pass


class StaticOnlyFetcher(URLFetcher):
    """Serves ``<BASE_URL><STATIC_URL>…`` from the static files finders; refuses the rest."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        prefix = BASE_URL.rstrip("/") + settings.STATIC_URL
        if url.startswith(prefix) and ".." not in url:
            path = finders.find(url[len(prefix) :].split("?")[0])
            if path:
                with open(path, "rb") as handle:
                    body = handle.read()
                kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
                return URLFetcherResponse(url, body, {"Content-Type": kind})
        self.refused.append(url)
        raise RefusedFetch("Only the application's own static files may be fetched")


def html_to_pdf(html: str, fetcher: StaticOnlyFetcher | None = None) -> tuple[bytes, int]:
    fetcher = fetcher or StaticOnlyFetcher()
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render()
    out = io.BytesIO()
    document.write_pdf(out)
    return out.getvalue(), len(document.pages)


def previous_panel(panel: Panel) -> Panel | None:
    return (
        Panel.objects.filter(local_authority_id=panel.local_authority_id, date__lt=panel.date)
        .order_by("-date")
        .first()
    )


def pack_context(panel: Panel, recipient, on: datetime.date) -> dict:
    """Only what ``recipient`` may see: every row comes from their own selectors."""
    items = list(agenda_items_visible_to(recipient).filter(panel=panel).order_by("order"))
    cases = []
    for item in items:
        referral = item.referral
        access = referral_access(recipient, referral)
        assessment = latest_assessment(referral)
        full = access == Access.FULL
        cases.append(
            {
                "item": item,
                "referral": referral,
                "full": full,
                "police": referral.assessments.order_by("-created_at").first() if full else None,
                "updates": agency_updates_visible_to(recipient).filter(referral=referral),
                "assessment": assessment,
                "changes": assessment_changes(assessment) if assessment else [],
                "consents": consents_visible_to(recipient).filter(referral=referral)[:3],
                "interventions": interventions_visible_to(recipient).filter(referral=referral),
                "reviews": reviews_visible_to(recipient).filter(referral=referral)[:3],
                "actions": panel_actions_visible_to(recipient).filter(referral=referral),
            }
        )
    previous = previous_panel(panel)
    previous_actions = (
        panel_actions_visible_to(recipient).filter(panel=previous)
        if previous
        else PanelAction.objects.none()
    )
    label = f"{recipient.display_name} · {on:%-d %B %Y}"
    return {
        "panel": panel,
        "recipient": recipient,
        "css_label": _css_string(label),
        "on": on,
        "cases": cases,
        "members": panel.members.select_related("agency").order_by("last_name"),
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


def render_pack(panel: Panel, recipient, on: datetime.date | None = None) -> tuple[bytes, int]:
    on = on or timezone.localdate()
    html = render_to_string("channel/pack.html", pack_context(panel, recipient, on))
    return html_to_pdf(html)
