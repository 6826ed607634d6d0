"""Panel pack files after they are made: why a copy is gone, and the retention purge.

A copy is authorised when it is read (``selectors.panel_pack_readable_by``) and kept only
until ``PANEL_PACK_RETENTION`` (default 72 hours) after its panel's date, when the
retention purge (``prevent_cms.purge``, Celery beat) deletes its file and the pack job's
result with it.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from prevent_cms.jobs import retention_period_text
from prevent_cms.models import Job
from prevent_cms.purge import delete_stored_file, job_result_purge
from prevent_cms.registry import JobPage

from .models import PanelPack


def panel_pack_retention() -> datetime.timedelta:
    return getattr(settings, "PANEL_PACK_RETENTION", datetime.timedelta(hours=72))


def panel_pack_link_valid_for() -> datetime.timedelta:
    return getattr(settings, "PANEL_PACK_LINK_VALID_FOR", datetime.timedelta(hours=72))


def panel_start(panel) -> datetime.datetime:
    """The start of the panel's day: the retention and link clocks count from it."""
    return timezone.make_aware(datetime.datetime.combine(panel.date, datetime.time()))


def pack_link_expires_at(panel) -> datetime.datetime:
    """When every recipient's download link of ``panel``'s packs stops working."""
    return panel_start(panel) + panel_pack_link_valid_for()


PACK_LINK_USED = gettext_lazy(
    "This download link has already been used: each link works once, so that no more copies "
    "of the pack exist than were sent. Ask the panel’s chair to make a new pack; you will be "
    "sent a new link."
)


def pack_link_expired_message() -> str:
    return _(
        "This download link expired %(period)s after the panel. Ask the panel’s chair to make "
        "a new pack; you will be sent a new link."
    ) % {"period": retention_period_text(panel_pack_link_valid_for())}


def pack_link_spent_message(pack: PanelPack) -> str:
    """Why ``pack``'s single-use copy no longer opens (used or expired), or "" if it does."""
    if pack.link_used_at is not None:
        return str(PACK_LINK_USED)
    if timezone.now() >= pack_link_expires_at(pack.panel):
        return pack_link_expired_message()
    return ""


PACK_WITHDRAWN = gettext_lazy(
    "This pack is no longer available because a case in it has left the agenda or is "
    "closed. Ask the chair for a new pack."
)


def pack_purged_message() -> str:
    return _(
        "This pack was deleted %(period)s after the panel, as our retention policy "
        "requires. Ask the chair for a new pack."
    ) % {"period": retention_period_text(panel_pack_retention())}


# Evaluated when shown (language and settings of the moment), for the job result's 410.
PACK_PURGED = lazy(pack_purged_message, str)()


def pack_gone_message(pack: PanelPack) -> str:
    """Why ``pack`` answers 410 (it exists, but is purged or withdrawn for this reader)."""
    if pack.purged_at is not None or not pack.file:
        return pack_purged_message()
    return str(PACK_WITHDRAWN)


def panel_pack_purge_expired(*, now: datetime.datetime) -> int:
    """Delete the files of pack copies whose panel was ``PANEL_PACK_RETENTION`` ago or more,
    and the results of their pack jobs; return how many copies. Idempotent: a purged copy
    is skipped, and a file already gone is no error."""
    # A panel on date D is purged once the retention period has passed since D began.
    last_date = timezone.localtime(now - panel_pack_retention()).date()
    purged = 0
    expired = PanelPack.objects.filter(purged_at__isnull=True, panel__date__lte=last_date)
    for pack_id in expired.values_list("pk", flat=True).iterator():
        with transaction.atomic():
            pack = (
                PanelPack.objects.select_for_update(skip_locked=True)
                .filter(pk=pack_id, purged_at__isnull=True)
                .first()
            )
            if pack is None:
                continue
            name, storage = pack.file.name, pack.file.storage
            PanelPack.objects.filter(pk=pack.pk).update(purged_at=now, file="")
            job = Job.objects.select_for_update().filter(pk=pack.job_id).first()
            if job is not None:
                job_result_purge(job, now=now)
        delete_stored_file(storage, name)
        purged += 1
    return purged


def panel_pack_job_page(job: Job) -> JobPage:
    """The pack job's page: the chair's own copy, made beside every member's."""
    from .models import Panel

    panel = Panel.objects.filter(pk=job.params.get("panel")).first()
    if panel is None:
        return JobPage(
            title=_("Panel pack"),
            contains=_("The panel no longer exists."),
            back_url=reverse("channel:dashboard"),
            back_label=_("Back to Channel"),
        )
    starts = timezone.make_aware(datetime.datetime.combine(panel.date, datetime.time.min))
    return JobPage(
        title=_("Panel pack for %(date)s") % {"date": date_format(panel.date, "j F Y")},
        contains=_(
            "Your copy of the pack: every case on the panel's agenda, marked with your name. "
            "Each member gets their own copy and link. Your download works once."
        ),
        back_url=reverse("channel:panel", args=[panel.pk]),
        back_label=_("Back to the panel"),
        deleted_after=starts + panel_pack_retention(),
    )
