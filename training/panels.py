"""The training block on the home page of agency leads and borough leads."""

from datetime import timedelta

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from prevent_cms.clocks import FORECAST_MAX_DAYS
from prevent_cms.work import Urgency, WorkItem

from .dates import Status
from .selectors import staff_due, training_clock_forecast


def home_panel(user) -> dict:
    return {
        "expired": staff_due(user, Status.EXPIRED).count(),
        "expiring_soon": staff_due(user, Status.EXPIRING_SOON).count(),
    }


def training_work(user, today) -> list[WorkItem]:
    """The Today list's training lines (borough and agency leads): people whose Prevent
    training has expired or expires soon, counted, linking to the list of who."""
    items = []
    url = reverse("training:dashboard")
    expired = staff_due(user, Status.EXPIRED).count()
    soon = staff_due(user, Status.EXPIRING_SOON).count()
    section = _("Training")
    if expired:
        items.append(
            WorkItem(
                kind="training_expired",
                section=section,
                label=ngettext(
                    "%(n)d person’s Prevent training has expired",
                    "%(n)d people’s Prevent training has expired",
                    expired,
                )
                % {"n": expired},
                url=url,
                count=expired,
                urgency=Urgency.BREACHED,
            )
        )
    if soon:
        items.append(
            WorkItem(
                kind="training_expiring",
                section=section,
                label=ngettext(
                    "%(n)d person’s Prevent training expires soon",
                    "%(n)d people’s Prevent training expires soon",
                    soon,
                )
                % {"n": soon},
                url=url,
                count=soon,
                urgency=Urgency.DUE_SOON,
            )
        )
    until = today + timedelta(days=FORECAST_MAX_DAYS)
    expiring = sum(row["count"] for row in training_clock_forecast(user, today=today, until=until))
    if expiring:
        items.append(
            WorkItem(
                kind="forecast_training",
                section=_("Breach forecast: the next 14 days"),
                label=ngettext(
                    "%(n)d person’s Prevent training expires in the next 14 days",
                    "%(n)d people’s Prevent training expires in the next 14 days",
                    expiring,
                )
                % {"n": expiring},
                url=url,
                count=expiring,
                urgency=Urgency.INFO,
            )
        )
    return items
