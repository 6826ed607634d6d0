"""The consultations' line on the Today list (``prevent_cms.work``, issue 17).

Prevent officers (and every role ``selectors.CONSULTATION_AREAS`` names): the consultations to
follow up, counted in one query whatever their number, linking to the list narrowed to them.
The line says how many and since when, never who asked or about whom.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.db.models import Count, Min
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from prevent_cms.work import Urgency, WorkItem

from .selectors import consultations_to_follow_up


def consultation_work(user, today: datetime.date) -> list[WorkItem]:
    counts = consultations_to_follow_up(user).aggregate(n=Count("pk"), oldest=Min("consulted_on"))
    count = counts["n"]
    if not count:
        return []
    label = ngettext(
        "%(n)d consultation to follow up: a referral was advised on %(day)s and none is linked yet",
        "%(n)d consultations to follow up: a referral was advised and none is linked yet "
        "(the oldest on %(day)s)",
        count,
    ) % {"n": count, "day": date_format(counts["oldest"], "j F Y")}
    return [
        WorkItem(
            kind="consultation_follow_up",
            section=_("Consultations"),
            label=label,
            url=reverse("consultations:list") + "?" + urlencode({"follow_up": "on"}),
            count=count,
            urgency=Urgency.TODO,
        )
    ]
