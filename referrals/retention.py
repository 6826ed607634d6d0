"""Retention review (DOMAIN.md §Information sharing and retention).

Closed cases come up for review 3 years after closure when they closed as no further action
or not adopted, 6 years after for every other closure (``RETENTION_SHORT_YEARS`` and
``RETENTION_LONG_YEARS`` change the defaults). Nothing is deleted without a person confirming
it with a reason. Deleting removes the personal data (the subject's details, every free-text
answer and note, attachment files, names given in related records) and keeps what the
anonymous statistics need: state, dates, sector, concern type, age at referral and gender.
"""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from persons.models import PersonAddress, PersonIdentifier, PersonName
from prevent_cms.audit import audit_record
from prevent_cms.errors import ActionForbidden, GuardFailed
from prevent_cms.models import AuditEvent

from .choices import ClosureReason, State
from .models import Referral, ReferralTransition, Subject
from .selectors import any_of, referrals_visible_to

DELETED_ACTION = "referral.personal_data_deleted"
SHORT_REASONS = (ClosureReason.NO_FURTHER_ACTION, ClosureReason.NOT_ADOPTED)
# Subject fields kept: gender (statistics); date of birth is replaced (see below).
SUBJECT_KEPT = {"id", "gender", "local_authority", "date_of_birth"}
REFERRAL_FREE_TEXT = {
    "concern_summary": "",
    "how_concern_arose": "",
    "online_activity": "",
    "action_taken": "",
    "referrer_phone": "",
    "referrer_relationship": "",
    # Who raised a referral recorded on their behalf; their sector and the route stay.
    "contact_name": "",
    "contact_organisation": "",
    "contact_phone": "",
    "contact_email": "",
    "other_agencies": [],
    "indicators": [],
}
# What a transition's recorded payload may keep: codes, never free text.
HISTORY_KEPT = ("reason", "signposted_to", "reassess_on")


def retention_years() -> tuple[int, int]:
    return (
        getattr(settings, "RETENTION_SHORT_YEARS", 3),
        getattr(settings, "RETENTION_LONG_YEARS", 6),
    )


def retention_scope(user) -> Q | None:
    """Cases this user may review for deletion: full access only (officer or chair)."""
    clauses = []
    if user.has_role(Role.PREVENT_OFFICER) and user.police_force_id:
        clauses.append(Q(police_force_id=user.police_force_id))
    if user.has_role(Role.CHANNEL_CHAIR) and user.local_authority_id:
        clauses.append(
            Q(local_authority_id=user.local_authority_id, channel_entered_at__isnull=False)
        )
    return any_of(clauses)


def may_review_retention(user) -> bool:
    return user.is_authenticated and retention_scope(user) is not None


def _deleted_ids() -> set[str]:
    return set(AuditEvent.objects.filter(action=DELETED_ACTION).values_list("object_id", flat=True))


def referrals_due_for_retention_review(user, *, on: datetime.date | None = None) -> QuerySet:
    """Closed cases in the user's scope whose review date has passed, oldest first."""
    scope = retention_scope(user)
    if scope is None:
        return Referral.objects.none()
    now = (
        timezone.now()
        if on is None
        else timezone.make_aware(datetime.datetime.combine(on, datetime.time.max))
    )
    short, long = retention_years()
    due = Q(closure_reason__in=SHORT_REASONS, closed_at__lte=now - relativedelta(years=short)) | (
        ~Q(closure_reason__in=SHORT_REASONS) & Q(closed_at__lte=now - relativedelta(years=long))
    )
    deleted = [pk for pk in _deleted_ids() if pk]
    return (
        referrals_visible_to(user)
        .filter(scope)
        .filter(state=State.CLOSED)
        .filter(due)
        .exclude(pk__in=deleted)
        .select_related("subject", "referrer_agency", "local_authority")
        .order_by("closed_at", "id")
    )


def review_due_on(referral: Referral) -> datetime.date | None:
    if not referral.closed_at:
        return None
    short, long = retention_years()
    years = short if referral.closure_reason in SHORT_REASONS else long
    return (referral.closed_at + relativedelta(years=years)).date()


def _anonymous_date_of_birth(subject: Subject, referral: Referral) -> datetime.date | None:
    """A date of birth giving the same age at referral (statistics) but not the birthday."""
    if not subject.date_of_birth:
        return None
    on = (referral.submitted_at or referral.created_at).date()
    age = subject.age_on(on)
    return on - relativedelta(years=age, months=6)


def _is_personal_text(field) -> bool:
    """Free text, or a name given in a record (a parent, a provider, an owner)."""
    if isinstance(field, models.TextField):
        return True
    named = field.name.endswith("name") or field.name in ("relationship", "description")
    return isinstance(field, models.CharField) and not field.choices and named


def _blank_related_free_text(referral: Referral) -> int:
    """Free text and names in other apps' records of this case (found through the model
    relations, so ``referrals`` need not import them): text blanked, files deleted."""
    changed = 0
    skip = {ReferralTransition, Referral}
    for relation in Referral._meta.related_objects:
        model = relation.related_model
        if model in skip or not (relation.one_to_many or relation.one_to_one):
            continue
        if model._meta.app_label == "guardian" or model.__name__.endswith("ObjectPermission"):
            continue
        updates: dict = {}
        for field in model._meta.concrete_fields:
            if _is_personal_text(field):
                updates[field.name] = ""
        rows = model._default_manager.filter(**{relation.field.name: referral})
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                for row in rows.exclude(**{field.name: ""}):
                    getattr(row, field.name).delete(save=False)
                updates[field.name] = ""
        if updates:
            changed += rows.update(**updates)
    return changed


@transaction.atomic
def referral_delete_personal_data(*, referral_id, actor, reason: str, confirmed: bool) -> Referral:
    """Delete one due case's personal data after a person confirmed it, with a reason."""
    if not may_review_retention(actor):
        raise ActionForbidden
    referral = (
        referrals_due_for_retention_review(actor)
        .select_for_update(of=("self",))
        .filter(pk=referral_id)
        .first()
    )
    if referral is None:
        raise Referral.DoesNotExist
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = _("Give the reason for deleting this case’s personal data")
    if not confirmed:
        errors["confirmed"] = _("Confirm that you want to delete the personal data")
    if errors:
        raise GuardFailed(errors)

    subject = referral.subject
    subject.date_of_birth = _anonymous_date_of_birth(subject, referral)
    for field in Subject._meta.concrete_fields:
        if field.name in SUBJECT_KEPT:
            continue
        setattr(subject, field.name, field.get_default())
    subject.save()
    for field, value in REFERRAL_FREE_TEXT.items():
        setattr(referral, field, value)
    referral.version += 1
    referral.save()

    attachments = list(referral.attachments.all())
    for attachment in attachments:
        attachment.file.delete(save=False)
    referral.attachments.all().delete()
    notes = referral.notes.all().delete()[0]
    referral.assessments.update(risk_summary="")
    for step in referral.history.all():
        kept = {k: v for k, v in step.payload.items() if k in HISTORY_KEPT}
        if kept != step.payload:
            ReferralTransition.objects.filter(pk=step.pk).update(payload=kept)
    related = _blank_related_free_text(referral)
    # The person index's rows this case gave (names, dates of birth, addresses, numbers) go
    # with its subject, and the case leaves its person: a link is itself personal data.
    for index_rows in (PersonName, PersonAddress, PersonIdentifier):
        index_rows.objects.filter(referral=referral).delete()
    Referral.objects.filter(pk=referral.pk).update(person=None)

    audit_record(
        actor=actor,
        action=DELETED_ACTION,
        obj=referral,
        reason=reason.strip(),
        detail={
            "closure_reason": referral.closure_reason,
            "attachments": len(attachments),
            "notes": notes,
            "related_rows": related,
        },
    )
    return referral
