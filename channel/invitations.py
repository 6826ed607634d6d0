"""A panel's calendar invitation (iCalendar, RFC 5545), made with the ``icalendar`` package.

One event per panel with a stable UID, so a moved panel's invitation (a higher SEQUENCE)
replaces the earlier one in the member's calendar. It says what the e-mail says: that a
Channel panel meets, when, where and a link; never a case or a person.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from prevent_cms.notifications import site_link

from .models import Panel

ICS_MIMETYPE = "text/calendar; method=REQUEST; charset=utf-8"


def panel_ics(panel: Panel) -> bytes:
    """The invitation: an all-day event on the panel's date (panels are scheduled by day)."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//{settings.SERVICE_NAME}//Channel panels//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    event = icalendar.Event()
    host = urlsplit(settings.SITE_URL).hostname or "prevent-cms"
    event.add("uid", f"panel-{panel.pk}@{host}")
    event.add("sequence", panel.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", panel.date)
    event.add("dtend", panel.date + datetime.timedelta(days=1))
    event.add("summary", "Channel panel")
    event.add("location", panel.location)
    link = site_link(reverse("channel:panel", args=[panel.pk]))
    event.add("description", f"Channel panel. The agenda and your pack: {link}")
    event.add("url", link)
    calendar.add_component(event)
    return calendar.to_ical()
