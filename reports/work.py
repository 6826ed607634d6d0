"""The reports' lines on a borough lead's Today list (``prevent_cms.work``, issue 17).

The compliance report's toolkit sections that nothing evidences yet this financial year
(``selectors.compliance_sections_due``), each linking to its section of the compliance page,
and the next statistics return (``periods.statistics_return_next``), linking to the
statistics for its year. A fixed number of queries; counts of organisations' records only,
never a case.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from prevent_cms.work import Urgency, WorkItem

from .periods import Period, financial_year_containing, statistics_return_next
from .selectors import can_see_statistics, compliance_sections_due

# In the financial year's last quarter (from 1 January) a section with nothing recorded is
# due soon: the year's report closes on 31 March.
SECTIONS_DUE_SOON_DAYS = 90


def _day(day: datetime.date) -> str:
    return date_format(day, "j F Y")


def _years(period: Period) -> str:
    return _("%(start)s to %(end)s") % {"start": _day(period.start), "end": _day(period.end)}


def borough_lead_work(user, today: datetime.date) -> list[WorkItem]:
    if not (can_see_statistics(user) and user.local_authority_id):
        return []
    items = []
    year = financial_year_containing(today)
    soon = (year.end - today).days < SECTIONS_DUE_SOON_DAYS
    compliance = reverse("reports:compliance")
    for code, label in compliance_sections_due(user, today=today):
        items.append(
            WorkItem(
                kind="compliance_section_due",
                section=_("Compliance report"),
                label=_("%(section)s: nothing recorded for %(year)s")
                % {"section": label, "year": _years(year)},
                url=f"{compliance}#{code}",
                due=year.end,
                urgency=Urgency.DUE_SOON if soon else Urgency.TODO,
            )
        )
    statistics_return = statistics_return_next(today)
    ended = statistics_return.period.end < today
    items.append(
        WorkItem(
            kind="statistics_return",
            section=_("Statistics return"),
            label=_("Statistics return for %(year)s: due by %(day)s")
            % {"year": _years(statistics_return.period), "day": _day(statistics_return.due)},
            url=reverse("reports:statistics")
            + "?"
            + urlencode(statistics_return.period.as_params()),
            due=statistics_return.due,
            urgency=Urgency.DUE_SOON if ended else Urgency.INFO,
        )
    )
    return items
