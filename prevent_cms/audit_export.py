"""Export the audit trail of one object as CSV, for a system administrator, as a background job.

The work runs in ``prevent_cms.tasks.audit_export_for_object``; this module is the service
that checks who is asking and queues it.
"""

from __future__ import annotations

import re

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Role, User

from .audit import audit_record
from .errors import ActionForbidden, InvalidInput
from .jobs import job_create
from .models import Job
from .registry import JobPage
from .tasks import audit_export_for_object, audit_export_for_user

AUDIT_EXPORT_KIND = "audit_export"
AUDIT_EXPORT_USER_KIND = "audit_export_user"
# Audit events name objects by type label and opaque id: nothing else is accepted, so the
# parameters stored on the job and sent to the broker can never carry personal data.
_IDENTIFIER = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


def audit_export_readable_by(user, job: Job) -> bool:
    """An audit export is read, now, by a system administrator still active in the role."""
    return bool(user.is_authenticated and user.is_active and user.has_role(Role.SYSTEM_ADMIN))


@transaction.atomic
def audit_export_request(*, actor: User, object_type: str, object_id: str, reason: str = "") -> Job:
    """Queue a CSV export of every audit event recorded against one object.

    Only a ``system_admin`` may ask (the task checks again when it runs). ``object_type`` is
    the model label as audit events store it (e.g. ``accounts.localauthority``).
    """
    if not actor.is_authenticated or not actor.has_role(Role.SYSTEM_ADMIN):
        raise ActionForbidden("Only a system administrator may export the audit trail.")
    object_id = str(object_id)
    for field, value in (("object_type", object_type), ("object_id", object_id)):
        if not _IDENTIFIER.match(value):
            raise InvalidInput({field: "Give a type label or id of up to 64 characters."})
    job = job_create(
        owner=actor,
        kind=AUDIT_EXPORT_KIND,
        params={"object_type": object_type, "object_id": object_id},
        task=audit_export_for_object,
    )
    audit_record(
        actor=actor,
        action="audit.export_requested",
        obj=job,
        reason=reason,
        detail={"object_type": object_type, "object_id": object_id},
    )
    return job


@transaction.atomic
def audit_export_user_request(*, actor: User, user_id, reason: str = "") -> Job:
    """Queue a CSV export of one person's audit trail (what they did, what was done to them).

    Only a ``system_admin`` may ask. The request is audited with its reason (why the
    investigation needs it); the job's parameters hold the user id only.
    """
    if not actor.is_authenticated or not actor.has_role(Role.SYSTEM_ADMIN):
        raise ActionForbidden("Only a system administrator may export the audit trail.")
    user = User.objects.filter(pk=user_id).first() if _IDENTIFIER.match(str(user_id)) else None
    if user is None:
        raise InvalidInput({"user_id": "Select a person."})
    job = job_create(
        owner=actor,
        kind=AUDIT_EXPORT_USER_KIND,
        params={"user_id": str(user.pk)},
        task=audit_export_for_user,
    )
    audit_record(
        actor=actor,
        action="audit.export_requested",
        obj=job,
        reason=reason,
        detail={"object_type": "accounts.user", "object_id": str(user.pk)},
    )
    return job


def audit_export_job_page(job: Job) -> JobPage:
    """An audit export's job page: one record's or one person's trail, as CSV."""
    about_person = job.kind == AUDIT_EXPORT_USER_KIND
    return JobPage(
        title=_("Audit trail of a person") if about_person else _("Audit trail of a record"),
        contains=_("Every audit event about it, oldest first, one row each, as CSV."),
        back_url=reverse("audit_export"),
        back_label=_("Back to the audit export"),
    )
