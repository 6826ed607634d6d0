"""Every write to a referral: drafts, the lifecycle transitions, assessments, notes, files.

Each service is one transaction. Transitions lock the case row, so two people acting on one
case at once cannot both succeed: the second sees the new state and gets a 409.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from functools import partial
from typing import Any, TypedDict
from uuid import UUID

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from accounts.models import LocalAuthority, User
from partnership.models import DisclosureKind
from persons.selectors import referral_transfer_steps
from prevent_cms.audit import audit_record, audit_record_many
from prevent_cms.errors import ActionForbidden, GuardFailed, StaleEdit, TransitionNotAllowed
from prevent_cms.jobs import job_create
from prevent_cms.models import Job
from prevent_cms.outbox import outbox_enqueue
from prevent_cms.uploads import ALLOWED_UPLOADS, sniff_upload

from . import exports, lifecycle, subject_access, tasks
from .choices import ON_BEHALF_ROUTES, ReferrerSector, State, TransitionName
from .disclosures import disclosures_record
from .forms.fields import CONTROL_CHARACTERS
from .models import (
    REFERRAL_ANSWER_FIELDS,
    Addendum,
    Attachment,
    BreakGlassGrant,
    CaseNote,
    ConcernType,
    PoliceAssessment,
    Referral,
    ReferralAssignment,
    ReferralTransition,
    Subject,
)
from .permissions import (
    is_referrer_of,
    may_add_addendum,
    may_add_attachment,
    may_add_note,
    may_assess,
    may_assign,
    may_break_glass,
    may_edit_draft,
    may_export_referrals,
    may_record_on_behalf,
)
from .retention import may_review_retention
from .selectors import (
    Access,
    referral_access,
    referral_assignable_people,
    referral_lock,
    referrals_visible_to,
)

SUBJECT_FIELDS = {f.name for f in Subject._meta.concrete_fields} - {"id", "local_authority"}


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
        if field in REFERRAL_ANSWER_FIELDS:
            setattr(referral, field, value)
    if "concern_types" in data:
        _validate_concern_codes(list(data["concern_types"] or []))
    referral.urgent = bool(referral.immediate_risk)


def _new_draft(*, actor: User, data: dict[str, Any], **recorded: Any) -> Referral:
    """A draft started by ``actor`` (its ``referrer`` and ``keyed_by``), in the actor's
    agency's local authority until the answers name where the person lives."""
    agency = actor.agency
    if agency is None:
        raise ActionForbidden
    home = agency.local_authority
    subject = Subject(local_authority=home)
    referral = Referral(
        subject=subject,
        referrer=actor,
        keyed_by=actor,
        referrer_agency_id=agency.pk,
        local_authority=home,
        police_force_id=home.police_force_id,
        **recorded,
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
    return referral


@transaction.atomic
def referral_create_draft(*, actor: User, data: dict[str, Any], section: str = "") -> Referral:
    """Start a referral as a draft. The referrer and their agency come from the login.

    ``section``: the question page whose answers ``data`` are, when the draft is made by the
    first answer saved on the pages (a draft is never made empty by "Start now"), so it
    counts as done as ``referral_update_draft`` counts the later ones."""
    referral = _new_draft(actor=actor, data=data, sections_done=[section] if section else [])
    audit_record(actor=actor, action="referral.created", obj=referral)
    return referral


class ReferrerContact(TypedDict, total=False):
    """The contact details of a referrer recorded on their behalf (who may have no account).

    ``sector`` is a ``choices.ReferrerSector`` code and is required; ``name`` is required;
    the rest may be blank. ``email`` receives the content-free "reviewed" e-mail.
    """

    name: str
    organisation: str
    sector: str
    phone: str
    email: str


# Each contact detail: the ``Referral`` column it fills and that column's length.
CONTACT_FIELDS = {
    "name": "contact_name",
    "organisation": "contact_organisation",
    "sector": "contact_sector",
    "phone": "contact_phone",
    "email": "contact_email",
}
CONTACT_LENGTHS = {"name": 200, "organisation": 200, "sector": 32, "phone": 40, "email": 254}
PHONE_PATTERN = re.compile(r"^[0-9 +()-]*$")


def _contact_errors(contact: dict[str, Any]) -> dict[str, str]:
    """What is wrong with a referrer's contact details, keyed ``referrer_contact.<field>``."""
    errors: dict[str, str] = {}
    key = "referrer_contact.{}".format
    unknown = sorted(set(contact) - set(CONTACT_FIELDS))
    if unknown:
        errors[key(unknown[0])] = _("Remove the field we do not use: %s") % ", ".join(unknown)
    for name, value in contact.items():
        if name in CONTACT_FIELDS and not isinstance(value, str):
            errors[key(name)] = _("Enter text")
        elif isinstance(value, str) and any(ord(c) < 32 and c not in "\t" for c in value):
            errors[key(name)] = _("Remove the hidden control characters from this answer")
    if errors:
        return errors
    if not (contact.get("name") or "").strip():
        errors[key("name")] = _("Enter the referrer’s name (or “Anonymous” if they gave none)")
    # A draft may be without it (a national form does not say it); ``submit`` requires it
    # (``guards.REQUIRED_ANSWERS``).
    if (contact.get("sector") or "") not in ("", *ReferrerSector.values):
        errors[key("sector")] = _("Select the referrer’s sector")
    if not PHONE_PATTERN.fullmatch(contact.get("phone") or ""):
        errors[key("phone")] = _("Enter a phone number, like 01632 960 001")
    email = (contact.get("email") or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors[key("email")] = _("Enter an e-mail address, like name@example.com")
    for name, limit in CONTACT_LENGTHS.items():
        if len(contact.get(name) or "") > limit:
            errors[key(name)] = _("This answer must be %(n)s characters or fewer") % {"n": limit}
    return errors


@transaction.atomic
def referral_start_on_behalf(
    *,
    actor: User,
    received_via: str,
    received_at: datetime.datetime,
    referrer_contact: ReferrerContact,
    data: dict[str, Any] | None = None,
) -> Referral:
    """Start a draft for a referral that reached the Prevent team another way than this
    service (phone, e-mail, national form, letter, in person, consultation; issue 15).

    The actor (a Prevent officer or Prevent lead, ``permissions.may_record_on_behalf``,
    else ``ActionForbidden``) is recorded as the draft's ``referrer`` and ``keyed_by`` and
    completes it through the same sections, check and ``submit`` as any referral; the person
    who raised the concern is ``referrer_contact``, whose sector the statistics count.
    ``received_at`` is when it reached the team (earlier than now, never in the future).
    ``data`` takes the same answers as ``referral_create_draft`` (the national-form import
    passes what it read). Raises ``GuardFailed`` naming each bad field. Audited with the
    route only: the contact's details are personal data and stay on the case.
    """
    if not may_record_on_behalf(actor):
        raise ActionForbidden
    errors: dict[str, str] = {}
    if received_via not in ON_BEHALF_ROUTES:
        errors["received_via"] = _("Select how the referral was received")
    if not isinstance(received_at, datetime.datetime) or timezone.is_naive(received_at):
        errors["received_at"] = _("Enter the date and time the referral was received")
    elif received_at > timezone.now():
        errors["received_at"] = _("The date and time received must be now or in the past")
    contact = dict(referrer_contact or {})
    errors.update(_contact_errors(contact))
    if errors:
        raise GuardFailed(errors)
    recorded = {
        field: str(contact.get(name) or "").strip() for name, field in CONTACT_FIELDS.items()
    }
    referral = _new_draft(
        actor=actor,
        data=dict(data or {}),
        received_via=received_via,
        received_at=received_at,
        **recorded,
    )
    audit_record(
        actor=actor,
        action="referral.created",
        obj=referral,
        detail={"received_via": received_via, "on_behalf": True},
    )
    return referral


def _lock_editable_draft(actor: User, referral_id: UUID | str) -> Referral:
    """The draft, locked, if ``actor`` may edit it: a sent referral no longer changes
    (``TransitionNotAllowed``); someone else's draft is not theirs to edit
    (``ActionForbidden``)."""
    referral = _lock_visible(actor, referral_id)
    if not may_edit_draft(actor, referral):
        if referral.state != State.DRAFT:
            raise TransitionNotAllowed(
                _("This referral has been submitted and can no longer change")
            )
        raise ActionForbidden
    return referral


@transaction.atomic
def referral_update_contact(
    *,
    referral_id: UUID | str,
    actor: User,
    referrer_contact: dict[str, Any],
    expected_version: int | None = None,
) -> Referral:
    """Correct who raised the concern on a draft recorded on their behalf (issue 15): after
    "Record a referral", or after a national form import, whose sender's sector the form
    does not say and ``submit`` requires.

    The details given replace those named, and the whole is checked as when it was recorded
    (``GuardFailed`` naming each bad field). Only the draft's keyer (``ActionForbidden``),
    only while a draft (``TransitionNotAllowed``), only a referral recorded on someone's
    behalf: a referrer's own has no contact (``GuardFailed``). ``expected_version`` is the
    draft's version the caller read (``StaleEdit`` if someone saved since). Audited with
    the names of the fields changed, never their values.
    """
    referral = _lock_editable_draft(actor, referral_id)
    if not referral.on_behalf:
        raise GuardFailed(
            {
                "referrer_contact": _(
                    "Only a referral recorded on someone’s behalf has a referrer’s contact details"
                )
            }
        )
    if expected_version is not None and expected_version != referral.version:
        raise StaleEdit(referral.version)
    contact = {name: getattr(referral, field) for name, field in CONTACT_FIELDS.items()}
    contact.update(referrer_contact)
    errors = _contact_errors(contact)
    if errors:
        raise GuardFailed(errors)
    changed = sorted(
        name
        for name, field in CONTACT_FIELDS.items()
        if getattr(referral, field) != str(contact.get(name) or "").strip()
    )
    for name, field in CONTACT_FIELDS.items():
        setattr(referral, field, str(contact.get(name) or "").strip())
    referral.version += 1
    referral.save()
    audit_record(
        actor=actor, action="referral.contact_updated", obj=referral, detail={"fields": changed}
    )
    return referral


@transaction.atomic
def referral_update_draft(
    *,
    referral_id: UUID | str,
    actor: User,
    data: dict[str, Any],
    section: str | None = None,
    expected_version: int | None = None,
) -> Referral:
    """Save answers to a draft, section by section. Nothing typed before is lost."""
    referral = _lock_editable_draft(actor, referral_id)
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


@transaction.atomic
def referral_delete_draft(*, referral_id: UUID | str, actor: User) -> None:
    """Withdraw a draft its referrer no longer means to send: the draft, the person's details
    and any files attached to it are deleted, as if it had never been started.

    Only a draft, and only by its referrer (``ActionForbidden``); a referral already sent is
    the case's record and stays (``TransitionNotAllowed``). Files leave storage after commit,
    so a rolled-back withdrawal keeps them. Audited by id and reference only.
    """
    referral = _lock_visible(actor, referral_id)
    if not is_referrer_of(actor, referral):
        raise ActionForbidden
    if referral.state != State.DRAFT:
        raise TransitionNotAllowed(_("Only a draft can be withdrawn: this referral has been sent"))
    files = [a.file.name for a in referral.attachments.all() if a.file.name]
    storage = Attachment._meta.get_field("file").storage
    audit_record(
        actor=actor,
        action="referral.draft_withdrawn",
        obj=referral,
        detail={"reference": referral.reference},
    )
    subject = referral.subject
    referral.delete()
    subject.delete()
    for name in files:
        transaction.on_commit(partial(storage.delete, name))


def _lock_visible(actor: User, referral_id: UUID | str) -> Referral:
    return referral_lock(referrals_visible_to(actor, by_id=True), referral_id=referral_id)


def available_transitions(*, referral: Referral, actor: User) -> list[str]:
    """The transitions this user may run on this case now (permission and stored data), then
    the transfer steps (issue 18), which move the case's area rather than its state."""
    transitions = referral.get_available_user_state_transitions(actor)  # type: ignore[attr-defined]  # django-fsm adds it for the state field
    return [t.name for t in transitions] + referral_transfer_steps(actor, referral)


@transaction.atomic
def referral_transition(
    *,
    referral_id: UUID | str,
    name: str,
    actor: User,
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


@transaction.atomic
def referral_assign(
    *, referral_id: UUID | str, actor: User, assignee_id: UUID | str, role: str = "officer"
) -> Referral:
    """Assign a case to an officer of its force (or, in Channel, name its case lead), or
    reassign it. Officers pick themselves or a colleague so the queue can say whose work it is;
    every change is kept in ``ReferralAssignment`` and audited. Assigning the person who
    already holds it changes nothing and records nothing, so a double-click is harmless.

    Raises ``Referral.DoesNotExist`` outside the actor's scope, ``ActionForbidden`` for someone
    who may not assign at this stage, ``User.DoesNotExist`` (404) for an assignee who is not
    eligible.
    """
    if role not in ReferralAssignment.AssignmentRole.values:
        raise GuardFailed({"role": _("Choose who to assign: the officer or the case lead")})
    referral = _lock_visible(actor, referral_id)
    if not may_assign(actor, referral, role):
        raise ActionForbidden
    field = "assigned_officer" if role == ReferralAssignment.AssignmentRole.OFFICER else "case_lead"
    try:
        # Someone not eligible is, to this case, someone who does not exist (404).
        assignee = referral_assignable_people(referral=referral, role=role).get(pk=assignee_id)
    except (ValueError, ValidationError) as error:
        raise GuardFailed({"assignee": _("Select someone from the list")}) from error
    previous_id = getattr(referral, f"{field}_id")
    if previous_id == assignee.pk:
        return referral
    setattr(referral, field, assignee)
    referral.version += 1
    referral.save(update_fields=[field, "version", "updated_at"])
    ReferralAssignment.objects.create(
        referral=referral, role=role, assignee=assignee, previous_id=previous_id, actor=actor
    )
    audit_record(
        actor=actor,
        action="referral.assigned",
        obj=referral,
        detail={
            "role": role,
            "assignee": str(assignee.pk),
            "previous": str(previous_id) if previous_id else "",
        },
    )
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
def assessment_record(
    *, referral_id: UUID | str, actor: User, data: dict[str, Any]
) -> PoliceAssessment:
    """Record the police gateway assessment (deconfliction, type of concern, screening)."""
    referral = _lock_visible(actor, referral_id)
    if not may_assess(actor, referral):
        if referral.state != State.POLICE_ASSESSMENT:
            raise TransitionNotAllowed(_("Start the assessment before recording it"))
        raise ActionForbidden
    concern_type = ConcernType.objects.filter(pk=data.get("concern_type"), active=True).first()
    if concern_type is None:
        raise GuardFailed({"concern_type": _("Select the type of concern")})
    assessment = PoliceAssessment(
        referral=referral,
        officer=actor,
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
    audit_record(actor=actor, action="referral.assessment_recorded", obj=referral)
    return assessment


@transaction.atomic
def note_add(*, referral_id: UUID | str, actor: User, text: str, kind: str) -> CaseNote:
    referral = _lock_visible(actor, referral_id)
    if not may_add_note(actor, referral):
        raise ActionForbidden
    note = CaseNote(referral=referral, author=actor, text=text, kind=kind)
    try:
        note.full_clean()
    except ValidationError as error:
        raise GuardFailed({k: " ".join(v) for k, v in error.message_dict.items()}) from error
    note.save()
    audit_record(actor=actor, action="referral.note_added", obj=referral)
    return note


def attachment_download_name(*, attachment: Attachment) -> str:
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
def attachment_add(
    *, referral_id: UUID | str, actor: User, upload: UploadedFile, description: str = ""
) -> Attachment:
    """Attach a file to a case: its officer or chair once sent, or its referrer while it is
    a draft (evidence to send with it). Checked by content (``sniff_upload``)."""
    referral = _lock_visible(actor, referral_id)
    if not may_add_attachment(actor, referral):
        raise ActionForbidden
    attachment = _attachment_store(
        referral=referral, actor=actor, upload=upload, description=description
    )
    audit_record(actor=actor, action="referral.attachment_added", obj=referral)
    return attachment


def _attachment_store(
    *, referral: Referral, actor: User, upload: UploadedFile, description: str
) -> Attachment:
    """Check the file by its content and keep it under an opaque name (the one way a file
    joins a case, whoever adds it and why)."""
    content_type = sniff_upload(upload=upload)
    name = (upload.name or "file").replace("\\", "/").rsplit("/", 1)[-1][:150] or "file"
    attachment = Attachment(
        referral=referral,
        uploaded_by=actor,
        original_name=name,
        content_type=content_type,
        size=upload.size or 0,
        description=description[:200],
    )
    attachment.file.save(name, upload, save=False)
    attachment.save()
    return attachment


ADDENDUM_MAX_LENGTH = 5000


@transaction.atomic
def addendum_add(
    *,
    referral_id: UUID | str,
    actor: User,
    text: str,
    upload: UploadedFile | None = None,
    description: str = "",
) -> Addendum:
    """Add information to a referral already sent: dated text, and optionally a file kept as
    one of the case's attachments. The submitted answers never change (issue 15).

    Only the referral's referrer (``ActionForbidden``), and only once it is sent: a draft's
    referrer changes the draft itself (``TransitionNotAllowed``). An empty or over-long text,
    or one with control characters, is ``GuardFailed``; so is a file the attachment checks
    refuse, and then nothing is saved. The assigned officer (or, before one is assigned, the
    force's Prevent officers) are told by an e-mail that holds only the reference and a link.
    """
    referral = _lock_visible(actor, referral_id)
    if not is_referrer_of(actor, referral):
        raise ActionForbidden
    if not may_add_addendum(actor, referral):
        raise TransitionNotAllowed(
            _("This referral has not been sent yet: change your answers in the draft instead")
        )
    text = (text or "").strip()
    if not text:
        raise GuardFailed({"text": _("Enter the information you want to add")})
    if len(text) > ADDENDUM_MAX_LENGTH:
        raise GuardFailed(
            {"text": _("The information must be %d characters or fewer") % ADDENDUM_MAX_LENGTH}
        )
    if "\x00" in text or CONTROL_CHARACTERS.search(text):
        raise GuardFailed({"text": _("Remove the hidden control characters from the information")})
    attachment = None
    if upload is not None:
        attachment = _attachment_store(
            referral=referral, actor=actor, upload=upload, description=description
        )
    addendum = Addendum.objects.create(
        referral=referral, author=actor, text=text, attachment=attachment
    )
    audit_record(
        actor=actor,
        action="referral.addendum_added",
        obj=referral,
        detail={"addendum": str(addendum.pk), "with_file": attachment is not None},
    )
    outbox_enqueue(tasks.send_addendum_email, str(addendum.pk))
    return addendum


def referral_record_views(*, actor: User, referral_ids: Iterable, via: str) -> None:
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


def referral_record_view(*, actor: User, referral: Referral, via: str) -> None:
    """Audit a read of a case (page, API, PDF, attachment). Call it on every read."""
    audit_record(actor=actor, action="referral.viewed", obj=referral, detail={"via": via})


LIST_VIEWED = "referral.list_viewed"
SEARCHED = "referral.searched"


def referral_list_record_view(
    *, actor: User, references: list[str], via: str, searched: bool = False
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
def referral_break_glass(
    *, referral_id: UUID | str, actor: User, reason: str
) -> BreakGlassGrant | None:
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
    # The case opens to the actor's agency: in the ledger (issue 21). An emergency read
    # always has its reason, so with no current agreement it goes with that reason recorded.
    disclosures_record(
        actor=actor,
        kind=DisclosureKind.BREAK_GLASS,
        source_id=grant.pk,
        referrals=[referral],
        recipient=actor,
        reason=reason,
    )
    grant_id = str(grant.pk)
    outbox_enqueue(tasks.send_break_glass_email, grant_id)
    return grant


EXPORT_REASON_MIN = 10


@transaction.atomic
def referral_export_request(*, actor: User, filters: dict, reason: str) -> Job:
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


@transaction.atomic
def subject_access_request(
    *,
    actor: User,
    first_name: str,
    last_name: str,
    date_of_birth: datetime.date | None,
    fmt: str,
    reason: str,
) -> Job:
    """Queue a subject access export (UK GDPR art.15) of everything held about one person.

    The same match and scope as the page's export (``subject_access.subject_access_matches``:
    the actor's full-access cases whose person has this name and date of birth), made now;
    the job keeps the matched cases' ids and the format only, and the reason is recorded in
    the audit trail with the request — a name or date of birth never reaches the job's row or
    the broker. Only someone who may review retention (``ActionForbidden``); a reason and a
    date of birth are required (``GuardFailed``).
    """
    if not may_review_retention(actor):
        raise ActionForbidden
    errors = {}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = _("Give the request reference or the reason for this export")
    if fmt not in subject_access.FORMATS:
        errors["format"] = _("Select PDF or JSON")
    if not isinstance(date_of_birth, datetime.date):
        errors["date_of_birth"] = _("Enter the date of birth")
    if errors or date_of_birth is None:
        raise GuardFailed(errors)
    matches = subject_access.subject_access_matches(
        actor, first_name=first_name, last_name=last_name, date_of_birth=date_of_birth
    )
    params = {"format": fmt, "referrals": [str(pk) for pk in matches.values_list("pk", flat=True)]}
    job = job_create(
        owner=actor, kind=subject_access.JOB_KIND, params=params, task=tasks.export_subject_access
    )
    audit_record(
        actor=actor,
        action=subject_access.REQUESTED,
        obj=job,
        reason=reason[:500],
        detail={"format": fmt, "cases": len(params["referrals"])},
    )
    return job
