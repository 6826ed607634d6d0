"""Every write to a referral: drafts, the lifecycle transitions, assessments, notes, files.

Each service is one transaction. Transitions lock the case row, so two people acting on one
case at once cannot both succeed: the second sees the new state and gets a 409.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django_fsm import can_proceed

from accounts.models import LocalAuthority
from prevent_cms.audit import audit_record, audit_record_many
from prevent_cms.jobs import job_create
from prevent_cms.models import Job
from prevent_cms.outbox import outbox_enqueue

from . import exports, lifecycle, tasks
from .choices import State, TransitionName
from .exceptions import ActionForbidden, GuardFailed, StaleEdit, TransitionNotAllowed
from .models import (
    Attachment,
    BreakGlassGrant,
    CaseNote,
    ConcernType,
    PoliceAssessment,
    Referral,
    ReferralTransition,
    Subject,
)
from .permissions import (
    may_add_attachment,
    may_add_note,
    may_assess,
    may_break_glass,
    may_edit_draft,
    may_export_referrals,
)
from .selectors import Access, referral_access, referrals_visible_to

SUBJECT_FIELDS = {f.name for f in Subject._meta.concrete_fields} - {"id", "local_authority"}
REFERRAL_FIELDS = {
    "concern_summary",
    "how_concern_arose",
    "online_activity",
    "concern_types",
    "indicators",
    "complex_needs",
    "immediate_risk",
    "subject_aware",
    "discussed_with_lead",
    "action_taken",
    "other_agencies",
    "referrer_phone",
    "referrer_relationship",
}


def _validate_concern_codes(codes: list[str]) -> None:
    known = set(ConcernType.objects.filter(active=True).values_list("code", flat=True))
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise GuardFailed({"concern_types": _("Unknown type of concern: %s") % ", ".join(unknown)})


def _apply(referral: Referral, subject: Subject, data: dict[str, Any]) -> None:
    subject_data = dict(data.get("subject") or {})
    local_authority = subject_data.pop("local_authority", None)
    if local_authority is not None:
        if not isinstance(local_authority, LocalAuthority):
            local_authority = LocalAuthority.objects.filter(pk=local_authority).first()
            if local_authority is None:
                raise GuardFailed({"local_authority": _("Select a local authority from the list")})
        subject.local_authority = local_authority
        referral.local_authority = local_authority
        referral.police_force_id = local_authority.police_force_id
    for field, value in subject_data.items():
        if field in SUBJECT_FIELDS:
            setattr(subject, field, value)
    for field, value in data.items():
        if field in REFERRAL_FIELDS:
            setattr(referral, field, value)
    if "concern_types" in data:
        _validate_concern_codes(list(data["concern_types"] or []))
    referral.urgent = bool(referral.immediate_risk)


@transaction.atomic
def referral_create_draft(*, referrer, data: dict[str, Any]) -> Referral:
    """Start a referral as a draft. The referrer and their agency come from the login."""
    if not referrer.agency_id:
        raise ActionForbidden
    home = referrer.agency.local_authority
    subject = Subject(local_authority=home)
    referral = Referral(
        subject=subject,
        referrer=referrer,
        referrer_agency_id=referrer.agency_id,
        local_authority=home,
        police_force_id=home.police_force_id,
    )
    _apply(referral, subject, data)
    subject.full_clean(exclude=["local_authority"])
    subject.save()
    referral.subject = subject
    for _attempt in range(5):
        try:
            with transaction.atomic():
                referral.save()
            break
        except IntegrityError:  # a reference collision: draw another and retry
            referral.reference = Referral._meta.get_field("reference").default()
    audit_record(actor=referrer, action="referral.created", obj=referral)
    return referral


@transaction.atomic
def referral_update_draft(
    *,
    referral_id,
    actor,
    data: dict[str, Any],
    section: str | None = None,
    expected_version: int | None = None,
) -> Referral:
    """Save answers to a draft, section by section. Nothing typed before is lost."""
    referral = _lock_visible(actor, referral_id)
    if not may_edit_draft(actor, referral):
        if referral.state != State.DRAFT:
            raise TransitionNotAllowed(
                _("This referral has been submitted and can no longer change")
            )
        raise ActionForbidden
    if expected_version is not None and expected_version != referral.version:
        raise StaleEdit(referral.version)
    subject = referral.subject
    _apply(referral, subject, data)
    if section and section not in referral.sections_done:
        referral.sections_done = [*referral.sections_done, section]
    subject.save()
    referral.version += 1
    referral.save()
    audit_record(
        actor=actor, action="referral.draft_saved", obj=referral, detail={"section": section or ""}
    )
    return referral


def _lock_visible(actor, referral_id) -> Referral:
    referral = (
        referrals_visible_to(actor)
        .select_for_update(of=("self",))
        .select_related("subject")
        .filter(pk=referral_id)
        .first()
    )
    if referral is None:
        raise Referral.DoesNotExist
    return referral


def available_transitions(referral: Referral, user) -> list[str]:
    """The transitions this user may run on this case now (permission and stored data)."""
    return [t.name for t in referral.get_available_user_state_transitions(user)]


@transaction.atomic
def referral_transition(
    *,
    referral_id,
    name: str,
    actor,
    payload: dict | None = None,
    expected_version: int | None = None,
) -> Referral:
    """Run one lifecycle transition: lock, check, change, record history and audit, run the
    after-transition hooks and queue the e-mails the step declares (``lifecycle.step``).

    The one place a case changes state, so everything a step declares happens here, in
    order, in one transaction. Raises ``Referral.DoesNotExist`` (404) outside the actor's
    scope, ``TransitionNotAllowed`` (409) from the wrong state, ``ActionForbidden`` (403) for
    the wrong person and ``GuardFailed`` (400) naming what is missing; and
    ``LifecycleMisconfigured`` (500) rather than run a step whose declared guard or hook
    nobody registered. With ``expected_version`` (an API client's ``If-Match``) it raises
    ``StaleEdit`` if the case has changed since that version, checked under the lock.
    """
    if name not in TransitionName.values:
        raise TransitionNotAllowed(_("There is no such step as “%s”") % name)
    payload = dict(payload or {})
    referral = _lock_visible(actor, referral_id)
    if expected_version is not None and expected_version != referral.version:
        raise StaleEdit(referral.version)
    method = getattr(referral, name)
    from_state = referral.state
    if not can_proceed(method, check_conditions=False):
        raise TransitionNotAllowed(
            _("A case in “%(state)s” cannot take the step “%(step)s”.")
            % {"state": State(from_state).label, "step": lifecycle.label(name)}
        )
    if not lifecycle.may_run(name, referral, actor):
        raise ActionForbidden
    errors = lifecycle.guard_errors(name, referral, payload)
    if errors:
        raise GuardFailed(errors)
    method({**payload, "actor": actor})
    referral.state_changed_at = timezone.now()
    referral.version += 1
    referral.save()
    recorded = _history_payload(payload)
    ReferralTransition.objects.create(
        referral=referral,
        name=name,
        from_state=from_state,
        to_state=referral.state,
        actor=actor,
        payload=recorded,
    )
    audit_record(
        actor=actor,
        action=f"referral.transition.{name}",
        obj=referral,
        detail={"from": from_state, "to": referral.state, "reason": payload.get("reason", "")},
    )
    lifecycle.run_hooks(name, referral, from_state=from_state, actor=actor)
    for email in lifecycle.emails_for(name, from_state):
        outbox_enqueue(tasks.send_referral_email, str(referral.pk), email)
    return referral


def _history_payload(payload: dict) -> dict:
    recorded = {}
    for key, value in payload.items():
        if key == "actor":
            continue
        if isinstance(value, datetime.date):
            value = value.isoformat()
        recorded[key] = value
    return recorded


@transaction.atomic
def assessment_record(*, referral_id, officer, data: dict[str, Any]) -> PoliceAssessment:
    """Record the police gateway assessment (deconfliction, type of concern, screening)."""
    referral = _lock_visible(officer, referral_id)
    if not may_assess(officer, referral):
        if referral.state != State.POLICE_ASSESSMENT:
            raise TransitionNotAllowed(_("Start the assessment before recording it"))
        raise ActionForbidden
    concern_type = ConcernType.objects.filter(pk=data.get("concern_type"), active=True).first()
    if concern_type is None:
        raise GuardFailed({"concern_type": _("Select the type of concern")})
    assessment = PoliceAssessment(
        referral=referral,
        officer=officer,
        deconfliction=data.get("deconfliction") or "",
        concern_type=concern_type,
        screening=data.get("screening") or "",
        vulnerabilities=list(data.get("vulnerabilities") or []),
        risk_summary=data.get("risk_summary") or "",
    )
    try:
        assessment.full_clean()
    except ValidationError as error:
        raise GuardFailed({k: " ".join(v) for k, v in error.message_dict.items()}) from error
    assessment.save()
    audit_record(actor=officer, action="referral.assessment_recorded", obj=referral)
    return assessment


@transaction.atomic
def note_add(*, referral_id, author, text: str, kind: str) -> CaseNote:
    referral = _lock_visible(author, referral_id)
    if not may_add_note(author, referral):
        raise ActionForbidden
    note = CaseNote(referral=referral, author=author, text=text, kind=kind)
    try:
        note.full_clean()
    except ValidationError as error:
        raise GuardFailed({k: " ".join(v) for k, v in error.message_dict.items()}) from error
    note.save()
    audit_record(actor=author, action="referral.note_added", obj=referral)
    return note


ALLOWED_UPLOADS = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/msword": "doc",
    "application/vnd.ms-excel": "xls",
    "application/rtf": "rtf",
    "text/plain": "txt",
}


REFUSED_TYPE = _lazy("The selected file must be a PDF, image, Office document or text file")


def sniff_upload(upload) -> str:
    """The file's real type from its content, never its name. Raises GuardFailed if refused."""
    if upload.size > settings.MAX_ATTACHMENT_BYTES:
        raise GuardFailed({"file": _("The file must be smaller than 10 MB")})
    if upload.size == 0:
        raise GuardFailed({"file": _("The selected file is empty")})
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is not None:
        mime = kind.mime
        if mime == "application/x-ole-storage" or mime == "application/x-cfb":
            mime = "application/msword"
        if mime in ALLOWED_UPLOADS:
            return mime
        raise GuardFailed({"file": str(REFUSED_TYPE)})
    if head.startswith(b"{\\rtf"):
        return "application/rtf"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        raise GuardFailed({"file": str(REFUSED_TYPE)}) from None
    if b"\x00" in head:
        raise GuardFailed({"file": str(REFUSED_TYPE)})
    return "text/plain"


def attachment_download_name(attachment: Attachment) -> str:
    """The name a download is saved under: ``PRV-2026-000123-attachment-2.pdf``.

    Never the uploaded name: ``report.pdf.exe`` must not reach a desktop as an executable,
    and a name may hold a person's name. The stem is the case reference and the file's place
    among the case's attachments (oldest first); the extension is the one of the type sniffed
    from the content at upload (``sniff_upload``), ``bin`` for a type it no longer allows.
    """
    number = (
        Attachment.objects.filter(referral_id=attachment.referral_id)
        .filter(
            models.Q(created_at__lt=attachment.created_at)
            | models.Q(created_at=attachment.created_at, pk__lte=attachment.pk)
        )
        .count()
    )
    extension = ALLOWED_UPLOADS.get(attachment.content_type, "bin")
    return f"{attachment.referral.reference}-attachment-{number}.{extension}"


@transaction.atomic
def attachment_add(*, referral_id, uploaded_by, upload, description: str = "") -> Attachment:
    referral = _lock_visible(uploaded_by, referral_id)
    if not may_add_attachment(uploaded_by, referral):
        raise ActionForbidden
    content_type = sniff_upload(upload)
    name = (upload.name or "file").replace("\\", "/").rsplit("/", 1)[-1][:150] or "file"
    attachment = Attachment(
        referral=referral,
        uploaded_by=uploaded_by,
        original_name=name,
        content_type=content_type,
        size=upload.size,
        description=description[:200],
    )
    attachment.file.save(name, upload, save=False)
    attachment.save()
    audit_record(actor=uploaded_by, action="referral.attachment_added", obj=referral)
    return attachment


def referral_record_views(*, actor, referral_ids: Iterable, via: str) -> None:
    """Audit one read that shows several cases at once (a panel's agenda): one
    ``referral.viewed`` per case, in one INSERT, so each case's "who has seen this case"
    shows it, as a panel pack's download does. A panel's agenda is a handful of cases; long
    lists of cases are ``referral_list_record_view``'s (one event naming the references).
    """
    targets = [(Referral._meta.label_lower, str(pk)) for pk in referral_ids]
    if targets:
        audit_record_many(
            actor=actor, action="referral.viewed", targets=targets, detail={"via": via}
        )


def referral_record_view(*, actor, referral: Referral, via: str) -> None:
    """Audit a read of a case (page, API, PDF, attachment). Call it on every read."""
    audit_record(actor=actor, action="referral.viewed", obj=referral, detail={"via": via})


LIST_VIEWED = "referral.list_viewed"
SEARCHED = "referral.searched"


def referral_list_record_view(
    *, actor, references: list[str], via: str, searched: bool = False
) -> None:
    """Audit one read of a list of cases (a page of the queue, "My referrals", the API list
    or search): one event, in one INSERT, naming the references it returned.

    ``searched``: the list answered a search by reference or name (``referral.searched``).
    The term is not recorded: it may be a person's name, and the audit trail holds codes and
    ids only; what the search returned is.
    """
    audit_record(
        actor=actor,
        action=SEARCHED if searched else LIST_VIEWED,
        object_type=Referral._meta.label_lower,
        detail={"via": via, "references": list(references), "count": len(references)},
    )


BREAK_GLASS_HOURS = 24
BREAK_GLASS_REASON_MIN = 10


@transaction.atomic
def referral_break_glass(*, referral_id, actor, reason: str) -> BreakGlassGrant | None:
    """Open a case outside the actor's normal scope for 24 hours, for a stated reason.

    Raises ``GuardFailed`` without a reason and ``Referral.DoesNotExist`` when the case is not
    one the actor may break glass for (``permissions.may_break_glass``) — the same error as a
    case that does not exist, so callers cannot tell the two apart. Returns None, granting
    nothing, when the actor already has full access. Audited as ``referral.break_glass`` with
    the reason; the case's assigned officer and the chairs of its local authority are e-mailed
    after commit (ids only in the task).
    """
    reason = (reason or "").strip()
    if len(reason) < BREAK_GLASS_REASON_MIN:
        raise GuardFailed({"reason": _("Give the reason you need to open this case")})
    referral = Referral.objects.select_for_update().filter(pk=referral_id).first()
    if referral is None or not may_break_glass(actor, referral):
        raise Referral.DoesNotExist
    if referral_access(actor, referral) == Access.FULL:
        return None
    now = timezone.now()
    grant = BreakGlassGrant.objects.create(
        referral=referral,
        user=actor,
        reason=reason,
        granted_at=now,
        expires_at=now + datetime.timedelta(hours=BREAK_GLASS_HOURS),
    )
    audit_record(
        actor=actor,
        action="referral.break_glass",
        obj=referral,
        reason=reason,
        detail={"grant": str(grant.pk), "expires_at": grant.expires_at.isoformat()},
    )
    grant_id = str(grant.pk)
    outbox_enqueue(tasks.send_break_glass_email, grant_id)
    return grant


EXPORT_REASON_MIN = 10


@transaction.atomic
def referral_export_request(*, actor, filters: dict, reason: str) -> Job:
    """Queue a CSV of the officer's force's cases (``filters`` as the queue takes them).

    Only an active Prevent officer may ask (``ActionForbidden``); the reason is required
    (``GuardFailed``) and is recorded with the request, the export and every exported case.
    The job's parameters hold codes and ids only; the reason stays in the audit trail.
    """
    if not may_export_referrals(actor):
        raise ActionForbidden
    reason = (reason or "").strip()
    if len(reason) < EXPORT_REASON_MIN:
        raise GuardFailed({"reason": _("Give the reason you need this list of cases")})
    params = exports.export_params(actor, filters)
    job = job_create(
        owner=actor, kind=exports.EXPORT_KIND, params=params, task=tasks.export_referrals
    )
    audit_record(actor=actor, action=exports.REQUESTED, obj=job, reason=reason[:500], detail=params)
    return job
