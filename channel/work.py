"""Channel's lines on the Today list (``prevent_cms.work``, issue 17).

Chairs: the next scheduled panel and its readiness, cases awaiting a panel, reviews and
consent reassessments due, post-exit reviews whose window has opened, actions overdue. Panel
members: their next panel, its agenda, their pack, actions assigned to them. Providers:
interventions to log sessions on, hours remaining, the next review. A fixed number of queries
whatever the number of cases.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, DecimalField, Max, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from prevent_cms.clocks import CLOCKS, FORECAST_MAX_DAYS, SUPPORT_REVIEW, TIME_TO_PANEL
from prevent_cms.work import LINES, Urgency, WorkItem

from .choices import InterventionStatus, InterventionType
from .models import InterventionSession, Panel, PanelPack, Review
from .selectors import (
    cases_awaiting_panel,
    channel_clock_forecast,
    consent_reassessments_due,
    interventions_visible_to,
    next_panel,
    panel_actions_visible_to,
    panel_pack_readiness,
    post_exit_reviews_due,
    reviews_due,
    update_requests_visible_to,
)

PANEL_SOON_DAYS = 7


def _day(day: datetime.date) -> str:
    return date_format(day, "j F Y")


def _panel_line(
    panel: Panel, today: datetime.date, *, kind: str, section, packs: dict | None = None
) -> WorkItem:
    """The next panel and its readiness. ``packs`` (the chair's: ``panel_pack_readiness``)
    tells copies made from copies sent; without it (a member's line) only whether packs
    are made."""
    agenda = panel.agenda_count  # type: ignore[attr-defined]  # annotated by _next_panel
    made = panel.pack_count if packs is None else packs["made"]  # type: ignore[attr-defined]
    ready_to_meet = bool(agenda and made)
    if packs is not None and agenda:
        if made:
            ready = _("packs: %(made)d made, %(sent)d sent") % {
                "made": made,
                "sent": packs["sent"],
            }
        else:
            ready = _("packs: none made yet")
        ready_to_meet = bool(made) and packs["sent"] >= made
    elif made:
        ready = _("packs made")
    elif agenda:
        ready = _("packs not made yet")
    else:
        ready = _("no cases on the agenda yet")
    label = ngettext(
        "Panel on %(day)s: %(n)d case on the agenda, %(ready)s",
        "Panel on %(day)s: %(n)d cases on the agenda, %(ready)s",
        agenda,
    ) % {"day": _day(panel.date), "n": agenda, "ready": ready}
    soon = panel.date <= today + datetime.timedelta(days=PANEL_SOON_DAYS)
    return WorkItem(
        kind=kind,
        section=section,
        label=label,
        url=reverse("channel:panel", args=[panel.pk]),
        due=panel.date,
        urgency=Urgency.DUE_SOON if soon and not ready_to_meet else Urgency.TODO,
        reference=f"{panel.date:%Y-%m-%d}",
    )


def _next_panel(user):
    """The next panel not yet held (a panel held and signed off is never "next")."""
    panel = next_panel(user)
    if panel is None:
        return None
    return (
        Panel.objects.filter(pk=panel.pk)
        .annotate(
            agenda_count=Count("agenda", distinct=True),
            pack_count=Count("packs", distinct=True),
        )
        .first()
    )


def _count_line(kind, section, count, singular, plural, url, urgency, **values) -> list[WorkItem]:
    if not count:
        return []
    return [
        WorkItem(
            kind=kind,
            section=section,
            label=ngettext(singular, plural, count) % {"n": count, **values},
            url=url,
            count=count,
            urgency=urgency,
        )
    ]


def _forecast_lines(user, today: datetime.date) -> list[WorkItem]:
    """The 14-day breach forecast for the chair's local authority (and the cases they
    lead): a count, and a line per case, soonest first."""
    until = today + datetime.timedelta(days=FORECAST_MAX_DAYS)
    rows = sorted(
        channel_clock_forecast(user, today=today, until=until),
        key=lambda row: (row["breaches_on"], row["reference"]),
    )
    if not rows:
        return []
    section = _("Breach forecast: the next 14 days")
    mine = sum(1 for row in rows if row["assigned_to_me"])
    label = ngettext(
        "%(n)d Channel time limit in your area runs out in the next 14 days",
        "%(n)d Channel time limits in your area run out in the next 14 days",
        len(rows),
    ) % {"n": len(rows)}
    if mine:
        label += ngettext(" (%(n)d on a case you lead)", " (%(n)d on cases you lead)", mine) % {
            "n": mine
        }
    items = [
        WorkItem(
            kind="forecast_area",
            section=section,
            label=label,
            url=reverse("channel:dashboard"),
            count=len(rows),
            due=rows[0]["breaches_on"],
            urgency=Urgency.INFO,
        )
    ]
    for row in rows[:LINES]:
        items.append(
            WorkItem(
                kind="forecast_case",
                section=section,
                label=_("%(ref)s: %(what)s due by %(day)s")
                % {
                    "ref": row["reference"],
                    "what": str(CLOCKS[row["clock"]].label).lower(),
                    "day": _day(row["breaches_on"]),
                },
                url=reverse("channel:case", args=[row["id"]]),
                due=row["breaches_on"],
                urgency=Urgency.INFO,
                reference=row["reference"],
            )
        )
    return items


def chair_work(user, today: datetime.date) -> list[WorkItem]:
    items = []
    panel = _next_panel(user)
    panels = _("Panels")
    if panel is not None:
        packs = panel_pack_readiness(panel)
        items.append(_panel_line(panel, today, kind="panel_next", section=panels, packs=packs))
        owed = (
            update_requests_visible_to(user).filter(panel=panel.pk, owed=True).count()
        )  # the panel's readiness: agency updates asked for and not yet in
        items += _count_line(
            "updates_owed",
            panels,
            owed,
            "%(n)d agency update asked for and not yet added",
            "%(n)d agency updates asked for and not yet added",
            reverse("channel:panel_update_requests", args=[panel.pk]),
            Urgency.DUE_SOON,
        )
    dashboard = reverse("channel:dashboard")
    cases = _("Cases")
    awaiting = cases_awaiting_panel(user)
    items += _count_line(
        "awaiting_panel_overdue",
        cases,
        cases_awaiting_panel(user, overdue_only=True).count(),
        "%(n)d case has waited %(days)d days or more for a panel",
        "%(n)d cases have waited %(days)d days or more for a panel",
        dashboard,
        Urgency.BREACHED,
        days=TIME_TO_PANEL.threshold(),
    )
    items += _count_line(
        "awaiting_panel",
        cases,
        awaiting.count(),
        "%(n)d case awaiting a panel",
        "%(n)d cases awaiting a panel",
        dashboard,
        Urgency.TODO,
    )
    items += _count_line(
        "review_due",
        cases,
        reviews_due(user).count(),
        "%(n)d support case due a review",
        "%(n)d support cases due a review",
        dashboard,
        Urgency.DUE_SOON,
    )
    items += _count_line(
        "consent_reassessment",
        cases,
        consent_reassessments_due(user).count(),
        "%(n)d consent reassessment due",
        "%(n)d consent reassessments due",
        dashboard,
        Urgency.DUE_SOON,
    )
    items += _forecast_lines(user, today)
    for referral, _kind, when in post_exit_reviews_due(user)[:LINES]:
        items.append(
            WorkItem(
                kind="post_exit_review",
                section=cases,
                label=_("%(ref)s: post-exit review due by %(day)s")
                % {"ref": referral.reference, "day": _day(when)},
                url=reverse("channel:review_new", args=[referral.pk]),
                due=when,
                urgency=Urgency.BREACHED if when < today else Urgency.DUE_SOON,
                reference=referral.reference,
            )
        )
    overdue = (
        panel_actions_visible_to(user)
        .filter(done=False, due_date__lt=today)
        .order_by("due_date", "id")
        .values("panel_id", "due_date", "referral__reference")[:LINES]
    )
    items += [_action_line(row, today, _("Actions overdue")) for row in overdue]
    return items


def _action_line(row: dict, today: datetime.date, section) -> WorkItem:
    reference = row["referral__reference"] or ""
    due = row["due_date"]
    if due:
        label = _("Panel action%(ref)s due %(day)s") % {
            "ref": f" ({reference})" if reference else "",
            "day": _day(due),
        }
    else:
        label = _("Panel action%(ref)s") % {"ref": f" ({reference})" if reference else ""}
    return WorkItem(
        kind="action",
        section=section,
        label=label,
        url=reverse("channel:panel", args=[row["panel_id"]]),
        due=due,
        urgency=Urgency.BREACHED if due and due < today else Urgency.TODO,
        reference=reference,
    )


def member_work(user, today: datetime.date) -> list[WorkItem]:
    items = []
    panel = _next_panel(user)
    section = _("My next panel")
    if panel is not None:
        items.append(_panel_line(panel, today, kind="panel_next", section=section))
        has_pack = PanelPack.objects.filter(
            panel=panel, recipient=user, purged_at__isnull=True
        ).exists()
        if has_pack:
            items.append(
                WorkItem(
                    kind="pack",
                    section=section,
                    label=_("Read your pack for the panel on %(day)s") % {"day": _day(panel.date)},
                    url=reverse("channel:panel_pack", args=[panel.pk]),
                    due=panel.date,
                    urgency=Urgency.TODO,
                    reference=f"{panel.date:%Y-%m-%d}",
                )
            )
    mine = (
        # Through the visibility rule: an action on a case that has left the member's agenda
        # is not listed with its reference.
        panel_actions_visible_to(user)
        .filter(owner=user, done=False)
        .order_by("due_date", "id")
        .values("panel_id", "due_date", "referral__reference")[:LINES]
    )
    items += [_action_line(row, today, _("Actions assigned to me")) for row in mine]
    owed = (
        update_requests_visible_to(user)
        .filter(owed=True, agency_id=user.agency_id, panel__held_at__isnull=True)
        .order_by("panel__date", "requested_at")
        .values("panel_id", "panel__date", "referral_id", "referral__reference")[:LINES]
    )
    for row in owed:
        items.append(
            WorkItem(
                kind="update_owed",
                section=_("Updates my agency owes"),
                label=_("%(ref)s: your agency’s update for the panel on %(day)s")
                % {"ref": row["referral__reference"], "day": _day(row["panel__date"])},
                url=reverse("channel:agency_update", args=[row["panel_id"], row["referral_id"]]),
                due=row["panel__date"],
                urgency=Urgency.DUE_SOON,
                reference=row["referral__reference"],
            )
        )
    return items


def provider_work(user, today: datetime.date) -> list[WorkItem]:
    logged = (
        InterventionSession.objects.filter(intervention_id=OuterRef("pk"))
        .values("intervention_id")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    last_review = (
        Review.objects.filter(referral_id=OuterRef("referral_id"))
        .values("referral_id")
        .annotate(last=Max("date"))
        .values("last")
    )
    decimal = DecimalField(max_digits=8, decimal_places=1)
    rows = (
        interventions_visible_to(user)
        .filter(status__in=[InterventionStatus.PLANNED, InterventionStatus.ACTIVE])
        .annotate(
            logged=Coalesce(Subquery(logged, output_field=decimal), Value(0), output_field=decimal),
            last_review=Subquery(last_review),
        )
        .order_by("start_date", "id")
        .values("id", "hours", "logged", "last_review", "start_date", "type")[:LINES]
    )
    items = []
    types = dict(InterventionType.choices)
    for row in rows:
        remaining = max(row["hours"] - row["logged"], 0)
        # Named by its type and start, not the case's reference: a provider works on the
        # intervention, not the case (DESIGN.md §3); its page says which case it is.
        what = _("%(type)s intervention started %(day)s") % {
            "type": types.get(row["type"], row["type"]),
            "day": _day(row["start_date"]),
        }
        items.append(
            WorkItem(
                kind="session_to_log",
                section=_("Sessions to log"),
                label=_("%(what)s: log a session (%(left)s of %(planned)s hours remaining)")
                % {"what": what, "left": remaining, "planned": row["hours"]},
                url=reverse("channel:session_new", args=[row["id"]]),
                urgency=Urgency.TODO,
            )
        )
        if row["last_review"]:
            due = SUPPORT_REVIEW.due(row["last_review"])
            items.append(
                WorkItem(
                    kind="next_review",
                    section=_("Next reviews"),
                    label=_("%(what)s: next panel review due by %(day)s")
                    % {"what": what, "day": _day(due)},
                    url=reverse("channel:provider_list"),
                    due=due,
                    urgency=Urgency.DUE_SOON if due <= today else Urgency.INFO,
                )
            )
    return items


__all__ = ["chair_work", "member_work", "provider_work"]
