"""Reading an uploaded national referral form into a draft recorded on the sender's behalf.

The file is read completely before anything is written: a file that is not the national
form (or is hostile) raises ``FormRejected`` and nothing is saved. Otherwise, in one
transaction, the draft is started through ``services.referral_start_on_behalf`` (received
by ``national_form``, the sender as its contact), the file is kept as its first attachment
through ``services.attachment_add`` (the same content checks as any upload), and what was
read is recorded so the draft's pages can mark each answer "read from the form — check".
"""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from prevent_cms.audit import audit_record
from prevent_cms.errors import ActionForbidden

from .. import services
from ..choices import ReceivedVia
from ..models import NationalFormImport
from ..permissions import may_record_on_behalf
from . import files
from .reader import read_form


def attachment_description() -> str:
    return _("The national referral form, as received")


@transaction.atomic
def referral_import_national_form(
    *,
    actor: User,
    upload: UploadedFile,
    referrer_sector: str = "",
    received_at: datetime.datetime | None = None,
) -> NationalFormImport:
    """Make a draft from a practitioner's national referral form (.docx, or a PDF of it).

    Who may: as ``referral_start_on_behalf`` (a Prevent officer or Prevent lead, else
    ``ActionForbidden``); the sender's sector is the officer's to give (the form does not
    say it), now or later (``services.referral_update_contact``) but before ``submit``, and
    ``received_at`` defaults to now. Raises ``PayloadTooLarge`` (413) over
    10 MB and ``FormRejected`` (400) for a file that is not the national form, before
    anything is saved; ``GuardFailed`` for a bad sector or time. Every answer read fills
    the draft; anything not understood is left for the officer. Audited with counts only.
    """
    if not may_record_on_behalf(actor):
        raise ActionForbidden
    reading = read_form(files.read_upload(upload))
    contact = {"sector": referrer_sector, **reading.referrer_contact()}
    contact.setdefault("name", _("Not given on the form"))
    referral = services.referral_start_on_behalf(
        actor=actor,
        received_via=ReceivedVia.NATIONAL_FORM,
        received_at=received_at or timezone.now(),
        referrer_contact=contact,  # type: ignore[arg-type]  # a ReferrerContact by its keys
        data=reading.draft_data(),
    )
    attachment = services.attachment_add(
        referral_id=referral.pk, actor=actor, upload=upload, description=attachment_description()
    )
    imported = NationalFormImport.objects.create(
        referral=referral,
        attachment=attachment,
        read_fields=reading.read_fields,
        unread_fields=reading.unread_fields,
        notes=reading.notes,
    )
    audit_record(
        actor=actor,
        action="referral.national_form_imported",
        obj=referral,
        detail={"read": len(reading.read_fields), "unread": len(reading.unread_fields)},
    )
    return imported
