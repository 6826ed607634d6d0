"""The referrals app's lines on the Today list (``prevent_cms.work``, issue 17).

Officers: referrals waiting for triage, clocks breached and due within five working days,
cases assigned to them by stage. Referrers and agency leads: drafts to finish (or delete) and
referrals with news. A fixed number of queries whatever the number of cases: counts come
from one aggregate and one count by stage, and case-by-case lines from a query cut at
``work.LINES``.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from prevent_cms.clocks import CLOCKS, FORECAST_MAX_DAYS
from prevent_cms.work import LINES, Urgency, WorkItem

from .choices import CoarseStatus, State, coarse_status
from .clocks import breach_day, overdue_cutoffs, working_days_ahead
from .selectors import (
    ASSIGNED_ME,
    is_reference,
    referral_clock_forecast,
    referral_queue,
    referrals_visible_to,
)
from .services import referral_list_record_view

DUE_SOON_WORKING_DAYS = 5
NEWS_DAYS = 14
TRIAGE_STATES = (State.SUBMITTED, State.POLICE_ASSESSMENT)


def _queue(**params) -> str:
    return reverse("referrals:queue") + "?" + urlencode(params)


def _day(day: datetime.date) -> str:
    return date_format(day, "j F Y")


def _clock_q(cutoffs: dict) -> Q:
    """Triage and assessment clocks that have run out by the ``cutoffs`` given."""
    return Q(state=State.SUBMITTED, submitted_at__lt=cutoffs[State.SUBMITTED]) | Q(
        state=State.POLICE_ASSESSMENT,
        assessment_started_at__lt=cutoffs[State.POLICE_ASSESSMENT],
    )


def _started(row: dict) -> datetime.date:
    if row["state"] == State.SUBMITTED:
        return timezone.localdate(row["submitted_at"])
    return timezone.localdate(row["assessment_started_at"])


def officer_work(user, today: datetime.date) -> list[WorkItem]:
    queue = referral_queue(user)
    breached = _clock_q(overdue_cutoffs(today))
    soon = _clock_q(overdue_cutoffs(working_days_ahead(DUE_SOON_WORKING_DAYS, today)))
    counts = queue.aggregate(
        waiting=Count("pk", filter=Q(state=State.SUBMITTED)),
        urgent=Count("pk", filter=Q(state=State.SUBMITTED, urgent=True)),
        breached=Count("pk", filter=breached),
    )
    # The officer's own cases by stage: one GROUP BY, where a filtered count per state (a
    # dozen of them) cost more Python to build than the query took to run.
    mine = dict(
        queue.filter(assigned_officer=user)
        .order_by()
        .values_list("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
    items: list[WorkItem] = []
    triage = _("Waiting for triage")
    if counts["urgent"]:
        items.append(
            WorkItem(
                kind="triage_urgent",
                section=triage,
                label=ngettext(
                    "%(n)d urgent referral waiting for triage",
                    "%(n)d urgent referrals waiting for triage",
                    counts["urgent"],
                )
                % {"n": counts["urgent"]},
                url=_queue(state=State.SUBMITTED, urgent="on"),
                count=counts["urgent"],
                urgency=Urgency.URGENT,
            )
        )
    if counts["waiting"]:
        items.append(
            WorkItem(
                kind="triage_waiting",
                section=triage,
                label=ngettext(
                    "%(n)d referral waiting for triage",
                    "%(n)d referrals waiting for triage",
                    counts["waiting"],
                )
                % {"n": counts["waiting"]},
                url=_queue(state=State.SUBMITTED),
                count=counts["waiting"],
            )
        )
    items += _clock_lines(queue, breached, soon, today, counts["breached"])
    items += _forecast_lines(user, today)
    for state in State:
        count = mine.get(state, 0)
        if count:
            items.append(
                WorkItem(
                    kind="assigned_to_me",
                    section=_("Assigned to me"),
                    label=ngettext("%(n)d case at %(stage)s", "%(n)d cases at %(stage)s", count)
                    % {"n": count, "stage": State(state).label},
                    url=_queue(state=state, assigned=ASSIGNED_ME),
                    count=count,
                    urgency=Urgency.TODO if state in TRIAGE_STATES else Urgency.INFO,
                )
            )
    return items


def _clock_lines(queue, breached: Q, soon: Q, today, breached_count: int) -> list[WorkItem]:
    """One line per case whose clock has run out or runs out within five working days (the
    soonest ``LINES`` of them), and a line to the whole list when there are more."""
    section = _("Time limits")
    rows = list(
        queue.filter(soon)
        .order_by("submitted_at", "id")
        .values("id", "reference", "state", "submitted_at", "assessment_started_at")[: LINES + 1]
    )
    items = []
    for row in rows[:LINES]:
        due = breach_day(row["state"], _started(row))
        overdue = due is not None and due <= today
        what = _("triage") if row["state"] == State.SUBMITTED else _("assessment")
        if overdue:
            label = _("%(ref)s: %(what)s time limit passed on %(day)s")
        else:
            label = _("%(ref)s: %(what)s due by %(day)s")
        items.append(
            WorkItem(
                kind="clock_breached" if overdue else "clock_due",
                section=section,
                label=label % {"ref": row["reference"], "what": what, "day": _day(due)},
                url=reverse("referrals:detail", args=[row["id"]]),
                due=due,
                urgency=Urgency.BREACHED if overdue else Urgency.DUE_SOON,
                reference=row["reference"],
            )
        )
    if breached_count > sum(1 for item in items if item.kind == "clock_breached"):
        items.append(
            WorkItem(
                kind="clocks_breached",
                section=section,
                label=ngettext(
                    "%(n)d case past its time limit: see them all",
                    "%(n)d cases past their time limits: see them all",
                    breached_count,
                )
                % {"n": breached_count},
                url=_queue(state="", overdue="on"),
                count=breached_count,
                urgency=Urgency.BREACHED,
            )
        )
    return items


def _forecast_lines(user, today: datetime.date) -> list[WorkItem]:
    """The 14-day breach forecast for the officer's force and for the officer: counts, and
    a line per case of their own whose clock runs out after the "Time limits" lines' five
    working days (those are listed there already)."""
    until = today + datetime.timedelta(days=FORECAST_MAX_DAYS)
    rows = referral_clock_forecast(user, today=today, until=until)
    if not rows:
        return []
    section = _("Breach forecast: the next 14 days")
    mine = [row for row in rows if row["assigned_to_me"]]
    items = [
        WorkItem(
            kind="forecast_force",
            section=section,
            label=ngettext(
                "%(n)d time limit in your force runs out in the next 14 days",
                "%(n)d time limits in your force run out in the next 14 days",
                len(rows),
            )
            % {"n": len(rows)},
            url=reverse("referrals:queue"),
            count=len(rows),
            due=rows[0]["breaches_on"],
            urgency=Urgency.INFO,
        )
    ]
    if mine:
        items.append(
            WorkItem(
                kind="forecast_mine",
                section=section,
                label=ngettext(
                    "%(n)d of your cases’ time limits runs out in the next 14 days",
                    "%(n)d of your cases’ time limits run out in the next 14 days",
                    len(mine),
                )
                % {"n": len(mine)},
                url=_queue(state="", assigned=ASSIGNED_ME),
                count=len(mine),
                due=mine[0]["breaches_on"],
                urgency=Urgency.INFO,
            )
        )
    listed_up_to = working_days_ahead(DUE_SOON_WORKING_DAYS, today)
    for row in [row for row in mine if row["breaches_on"] > listed_up_to][:LINES]:
        items.append(
            WorkItem(
                kind="forecast_case",
                section=section,
                label=_("%(ref)s: %(what)s time limit runs out on %(day)s")
                % {
                    "ref": row["reference"],
                    "what": str(CLOCKS[row["clock"]].label).lower(),
                    "day": _day(row["breaches_on"]),
                },
                url=reverse("referrals:detail", args=[row["id"]]),
                due=row["breaches_on"],
                urgency=Urgency.INFO,
                reference=row["reference"],
            )
        )
    return items


def referrer_work(user, today: datetime.date) -> list[WorkItem]:
    visible = referrals_visible_to(user)
    drafts = list(
        visible.filter(referrer=user, state=State.DRAFT)
        .order_by("created_at", "id")
        .values("id", "reference", "created_at")[:LINES]
    )
    items = [
        WorkItem(
            kind="draft",
            section=_("Drafts to finish or delete"),
            label=_("Draft %(ref)s, started %(day)s: finish and send it, or delete it")
            % {"ref": row["reference"], "day": _day(timezone.localdate(row["created_at"]))},
            url=reverse("referrals:task_list", args=[row["id"]]),
            due=timezone.localdate(row["created_at"]),
            reference=row["reference"],
        )
        for row in drafts
    ]
    since = timezone.now() - datetime.timedelta(days=NEWS_DAYS)
    # News is a change of the coarse status a referrer sees (being assessed, closed): moves
    # between the stages behind it are not theirs to notice.
    news = list(
        visible.exclude(state=State.DRAFT)
        .filter(Q(assessment_started_at__gte=since) | Q(state=State.CLOSED, closed_at__gte=since))
        .order_by("-submitted_at", "id")
        .values("id", "reference", "state")[:LINES]
    )
    for row in news:
        status = CoarseStatus(coarse_status(row["state"])).label
        items.append(
            WorkItem(
                kind="referral_news",
                section=_("Referrals with news"),
                label=_("%(ref)s: %(status)s") % {"ref": row["reference"], "status": status},
                url=reverse("referrals:detail", args=[row["id"]]),
                urgency=Urgency.INFO,
                reference=row["reference"],
            )
        )
    return items


def record_today_read(*, actor, references: list[str], via: str) -> None:
    """The Today list named these cases: one list-read event, as the queue writes."""
    cases = [reference for reference in references if is_reference(reference)]
    if cases:
        referral_list_record_view(actor=actor, references=cases, via=via)
