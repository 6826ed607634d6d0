"""Subject access requests (UK GDPR art.15; DOMAIN.md §Information sharing and retention).

Everything held about one person, matched by name and date of birth across the cases the
caller may see in full, as JSON and PDF. Third-party details (the referrer, staff, other
agencies' contacts, names in related records) are included but marked ``redact`` so the
disclosure officer can remove them before release. Every export is audited per case.
"""

from __future__ import annotations

import datetime
import json
import uuid
from decimal import Decimal

from django.db import models, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from partnership.models import DisclosureKind
from prevent_cms.audit import audit_record
from prevent_cms.errors import DisclosureRefused
from prevent_cms.jobs import job_fail, job_finish, job_start
from prevent_cms.models import AuditEvent, Job
from prevent_cms.pdf import render_pdf
from prevent_cms.registry import JobPage
from prevent_cms.spreadsheet import iso_moment

from . import lifecycle
from .disclosures import disclosures_record
from .models import ConcernType, Referral, ReferralTransition, Subject
from .retention import retention_scope
from .selectors import referrals_visible_to

EXPORT_ACTION = "referral.subject_access_export"
# Fields that name someone other than the subject: shown, but marked for redaction.
THIRD_PARTY_REFERRAL_FIELDS = {
    "referrer_phone",
    "referrer_relationship",
    "other_agencies",
    "agencies_consulted_details",
}
# The people the subject lives with (the national form's household members).
THIRD_PARTY_SUBJECT_FIELDS = {"household_members"}


def subject_access_matches(
    user, *, first_name: str, last_name: str, date_of_birth: datetime.date
) -> QuerySet[Referral]:
    """The caller's full-access cases about this person (names compared case-insensitively)."""
    scope = retention_scope(user)
    if scope is None or not date_of_birth:
        return Referral.objects.none()
    return (
        referrals_visible_to(user)
        .filter(scope)
        .filter(
            subject__first_name__iexact=(first_name or "").strip(),
            subject__last_name__iexact=(last_name or "").strip(),
            subject__date_of_birth=date_of_birth,
        )
        .select_related("subject", "referrer", "referrer_agency", "local_authority")
        .order_by("created_at")
    )


def _value(value):
    """A value for the JSON file: moments in UTC to the second (``iso_moment``), days in ISO
    8601, as every file the service writes (docs/frontend.md)."""
    if isinstance(value, datetime.datetime):
        return iso_moment(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value.pk)
    return value


def _third_party(value, why: str) -> dict:
    return {"value": _value(value), "redact": True, "why": why}


def _person(user) -> dict | None:
    if user is None:
        return None
    return _third_party(user.display_name, "staff member")


def _row(obj: models.Model) -> dict:
    """One related record: every field; names, staff and other people marked for redaction."""
    out = {}
    for field in obj._meta.concrete_fields:
        if field.name in ("referral",):
            continue
        if isinstance(field, models.ForeignKey) and field.related_model._meta.label_lower == (
            "accounts.user"
        ):
            out[field.name] = _person(getattr(obj, field.name))
            continue
        value = getattr(obj, field.attname)
        if isinstance(field, models.FileField):
            out[field.name] = bool(value)
            continue
        named = field.name.endswith("name") or field.name == "relationship"
        if isinstance(field, models.CharField) and named and field.name != "original_name":
            out[field.name] = _third_party(value, "third party")
            continue
        out[field.name] = _value(value)
    return out


def _related(referral: Referral) -> dict[str, list[dict]]:
    sections: dict[str, list[dict]] = {}
    for relation in Referral._meta.related_objects:
        model = relation.related_model
        if model is ReferralTransition or model.__name__.endswith("ObjectPermission"):
            continue
        if not (relation.one_to_many or relation.one_to_one):
            continue
        rows = model._default_manager.filter(**{relation.field.name: referral})
        if rows.exists():
            sections[model._meta.verbose_name_plural.title()] = [_row(r) for r in rows]
    return sections


def subject_access_data(referrals) -> dict:
    cases = []
    for referral in referrals:
        subject = referral.subject
        cases.append(
            {
                "reference": referral.reference,
                "state": referral.state,
                "subject": {
                    f.name: (
                        _third_party(getattr(subject, f.attname), "family member")
                        if f.name in THIRD_PARTY_SUBJECT_FIELDS
                        else _value(getattr(subject, f.attname))
                    )
                    for f in Subject._meta.concrete_fields
                },
                "referral": {
                    f.name: (
                        _third_party(getattr(referral, f.attname), "referrer or other agency")
                        if f.name in THIRD_PARTY_REFERRAL_FIELDS
                        else _value(getattr(referral, f.attname))
                    )
                    for f in Referral._meta.concrete_fields
                    if f.name not in ("subject", "referrer", "assigned_officer", "version")
                },
                "referrer": _third_party(referral.referrer.display_name, "referrer"),
                "referrer_agency": _third_party(str(referral.referrer_agency), "other agency"),
                "assigned_officer": _person(referral.assigned_officer),
                "history": [
                    {
                        "step": step.name,
                        "from": step.from_state,
                        "to": step.to_state,
                        "at": _value(step.at),
                        "by": _person(step.actor),
                        "payload": step.payload,
                    }
                    for step in referral.history.select_related("actor").order_by("at", "id")
                ],
                "records": _related(referral),
            }
        )
    return {
        "generated_at": iso_moment(timezone.now()),
        "redaction_note": (
            "Values marked redact=true identify someone other than the data subject "
            "(referrers, staff, other agencies, family members). Review before release."
        ),
        "cases": cases,
    }


# --- The PDF: for people, so in words (issue 19) -------------------------------------------
# Dates as "3 December 2026, 14:05", choices by their labels, no row ids and no Python
# literals; what names someone else is highlighted with the reason to redact it.

# Internal links and counters: the person-index link (issue 18) is an id whose person is the
# subject, whose details the subject's own section already gives.
SKIPPED = {"id", "referral", "subject", "version", "sections_done", "person"}


def _words(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime):
        return dateformat.format(timezone.localtime(value), "j F Y, H:i")
    if isinstance(value, datetime.date):
        return dateformat.format(value, "j F Y")
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, list | tuple):
        return "; ".join(filter(None, (_words(item) for item in value)))
    if isinstance(value, dict):
        return "; ".join(
            f"{str(key).replace('_', ' ').capitalize()}: {_words(item)}"
            for key, item in value.items()
            if _words(item)
        )
    if isinstance(value, uuid.UUID):
        return ""
    return str(value)


def _lines(obj: models.Model, third_party: dict[str, str]) -> list[dict]:
    """Each filled-in field of ``obj`` as ``{label, value, redact}`` (``redact`` the reason,
    or empty)."""
    lines = []
    for field in obj._meta.concrete_fields:
        if field.name in SKIPPED or isinstance(field, models.UUIDField | models.FileField):
            continue
        if isinstance(field, models.ForeignKey):
            related = getattr(obj, field.name)
            value = getattr(related, "display_name", None) or (str(related) if related else "")
            is_person = field.related_model._meta.label_lower == "accounts.user"
            why = _("staff member") if is_person else third_party.get(field.name, "")
        else:
            raw = getattr(obj, field.attname)
            value = getattr(obj, f"get_{field.name}_display")() if field.choices else raw
            if field.name == "concern_types" and isinstance(raw, list):
                labels = {c.code: str(c) for c in ConcernType.objects.all()}
                value = [labels.get(code, code) for code in raw]
            value = _words(value)
            named = field.name.endswith("name") and field.name != "original_name"
            why = third_party.get(field.name) or (
                _("third party") if named or field.name == "relationship" else ""
            )
        if value:
            lines.append(
                {"label": str(field.verbose_name).capitalize(), "value": value, "redact": why}
            )
    return lines


def subject_access_pages(referrals) -> dict:
    """What the PDF shows: per case, the person, the referral, its history and its records."""
    referral_third = {name: _("referrer or other agency") for name in THIRD_PARTY_REFERRAL_FIELDS}
    referral_third |= {"referrer": _("referrer"), "referrer_agency": _("other agency")}
    subject_third = {name: _("family member") for name in THIRD_PARTY_SUBJECT_FIELDS}
    cases = []
    for referral in referrals:
        records = []
        for relation in Referral._meta.related_objects:
            model = relation.related_model
            if model is ReferralTransition or model.__name__.endswith("ObjectPermission"):
                continue
            if not (relation.one_to_many or relation.one_to_one):
                continue
            rows = model._default_manager.filter(**{relation.field.name: referral})
            for row in rows:
                records.append(
                    {"title": str(model._meta.verbose_name).capitalize(), "lines": _lines(row, {})}
                )
        history = [
            {
                "at": _words(step.at),
                "what": lifecycle_label(step.name),
                "by": step.actor.display_name if step.actor else "",
            }
            for step in referral.history.select_related("actor").order_by("at", "id")
        ]
        cases.append(
            {
                "reference": referral.reference,
                "stage": referral.get_state_display(),
                "person": _lines(referral.subject, subject_third),
                "referral": _lines(referral, referral_third),
                "history": history,
                "records": records,
            }
        )
    return {"generated_at": _words(timezone.now()), "cases": cases}


def lifecycle_label(name: str) -> str:
    try:
        return lifecycle.label(name)
    except KeyError:
        return name.replace("_", " ").capitalize()


@transaction.atomic
def subject_access_export(
    *, actor, first_name: str, last_name: str, date_of_birth: datetime.date, fmt: str, reason: str
) -> tuple[bytes, str, int]:
    """Build the export (``fmt`` json or pdf) and audit it per case. Returns body, type, count."""
    referrals = list(
        subject_access_matches(
            actor, first_name=first_name, last_name=last_name, date_of_birth=date_of_birth
        )
    )
    body, content_type = _export(
        actor=actor, referrals=referrals, fmt=fmt, reason=reason, source_id=uuid.uuid4()
    )
    return body, content_type, len(referrals)


def _export(
    *, actor, referrals: list[Referral], fmt: str, reason: str, source_id
) -> tuple[bytes, str]:
    """The file for ``referrals``, each case's export audited with the reason, and what it
    discloses to the actor's agency in the partnership ledger (``source_id``: the job, or one
    page export) — refused (``DisclosureRefused``) before anything is built where no
    data-sharing agreement allows it."""
    disclosures_record(
        actor=actor,
        kind=DisclosureKind.SUBJECT_ACCESS,
        source_id=source_id,
        referrals=referrals,
        recipient=actor,
    )
    data = subject_access_data(referrals)
    for referral in referrals:
        audit_record(
            actor=actor,
            action=EXPORT_ACTION,
            obj=referral,
            reason=reason,
            detail={"format": fmt, "cases": len(referrals)},
        )
    if not referrals:
        audit_record(
            actor=actor,
            action=EXPORT_ACTION,
            object_type="referrals.subject",
            reason=reason,
            detail={"format": fmt, "cases": 0},
        )
    if fmt == "pdf":
        # Self-contained HTML: the locked fetcher refuses even static files here.
        template = "referrals/retention/subject_access_pdf.html"
        pages = subject_access_pages(referrals)
        body = render_pdf(template, {"data": pages}, static=False).content
        return body, "application/pdf"
    body = json.dumps(data, indent=2, default=str).encode("utf-8")
    return body, "application/json"


# --- As a background job (the API's ``POST /api/v1/referrals/subject-access/``) ----------

JOB_KIND = "referrals.subject_access_export"
REQUESTED = "referral.subject_access_requested"
FORMATS = ("pdf", "json")


def _requested(job: Job) -> AuditEvent | None:
    return (
        AuditEvent.objects.filter(
            action=REQUESTED, object_type=Job._meta.label_lower, object_id=str(job.pk)
        )
        .order_by("id")
        .first()
    )


def _job_cases(user, job: Job) -> QuerySet[Referral]:
    """The cases the job's request matched that ``user`` may still export now."""
    scope = retention_scope(user)
    if scope is None:
        return Referral.objects.none()
    return (
        referrals_visible_to(user)
        .filter(scope)
        .filter(pk__in=job.params.get("referrals", []))
        .select_related("subject", "referrer", "referrer_agency", "local_authority")
        .order_by("created_at")
    )


def subject_access_run(*, job_id) -> int | None:
    """Write the file of subject access job ``job_id`` and audit each case in it, once.

    The request matched the person's cases when it was made and kept their ids (never the
    name or date of birth, which would reach the broker); the owner's scope is read again
    now, so a case they may no longer see is left out. May run twice: a finished job is left
    alone (``job_start``). Returns the number of cases, None when there was nothing to do.
    """
    job = job_start(job_id)
    if job is None:
        return None
    owner = job.owner
    if retention_scope(owner) is None:
        job_fail(job, message=_("Only a Prevent officer or Channel chair may make this export."))
        return None
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        if job.state != Job.State.RUNNING:
            return None
        request = _requested(job)
        referrals = list(_job_cases(owner, job))
        fmt = job.params.get("format", "pdf")
        try:
            with transaction.atomic():
                body, content_type = _export(
                    actor=owner,
                    referrals=referrals,
                    fmt=fmt,
                    reason=request.reason if request else "",
                    source_id=job.pk,
                )
        except DisclosureRefused as refused:  # no data-sharing agreement allows it (issue 21)
            job_fail(job, message=refused.detail)
            return None
        job_finish(
            job, content=body, name=f"subject-access-export.{fmt}", content_type=content_type
        )
    return len(referrals)


def subject_access_job_readable_by(user, job: Job) -> bool:
    """May ``user`` read this export now? Authorised when read: only while they may still
    make one, and every case it matched is still theirs to export."""
    wanted = {str(pk) for pk in job.params.get("referrals", [])}
    if retention_scope(user) is None:
        return False
    return len(wanted) == _job_cases(user, job).count()


def subject_access_job_page(job: Job) -> JobPage:
    """A subject access export's job page: says how many cases it holds, never whose."""
    cases = len(job.params.get("referrals", []))
    return JobPage(
        title=_("Subject access export"),
        contains=ngettext(
            "Everything held about the person in %(count)d case, as %(format)s, with the "
            "parts about other people marked for redaction.",
            "Everything held about the person in %(count)d cases, as %(format)s, with the "
            "parts about other people marked for redaction.",
            cases,
        )
        % {"count": cases, "format": (job.params.get("format") or "").upper()},
        back_url=reverse("referrals:subject_access"),
        back_label=_("Back to subject access"),
    )
