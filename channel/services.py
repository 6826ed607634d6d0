"""Every write in Channel. Keyword-only, one transaction each, audited.

Errors are those of ``prevent_cms.errors``: ``GuardFailed`` (400, naming the field),
``ActionForbidden`` (403), ``TransitionNotAllowed`` (409); an object outside the caller's
scope raises its model's ``DoesNotExist`` (404).
"""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Role, User
from accounts.selectors import users_visible_to
from prevent_cms.audit import audit_record, audit_record_many
from prevent_cms.errors import ActionForbidden, GuardFailed, TransitionNotAllowed
from prevent_cms.jobs import job_create
from prevent_cms.models import Job
from referrals.choices import CHANNEL_STAGES, State
from referrals.models import Referral
from referrals.permissions import is_chair_for
from referrals.selectors import referrals_visible_to

from . import tasks
from .choices import (
    AgendaKind,
    ConsentDecision,
    GivenBy,
    InterventionStatus,
    InterventionType,
    ReviewKind,
    RiskChange,
)
from .models import (
    AgencyUpdate,
    AgendaItem,
    AssessmentFramework,
    Consent,
    Intervention,
    InterventionSession,
    Panel,
    PanelAction,
    PanelPack,
    Review,
    SupportPlan,
    VulnerabilityAssessment,
)
from .permissions import (
    is_chair_of_panel,
    is_local_authority_person,
    is_police_person,
    may_work_on_case,
    sync_case_grants,
)
from .selectors import channel_cases_visible_to, interventions_visible_to, panels_visible_to

SUPPORT_STATES = (State.AWAITING_CONSENT, State.SUPPORT)


def _today() -> datetime.date:
    return timezone.localdate()


# The dates that drive a guard (consent starts support, reviews allow exit, sessions show
# support happened), with the words a practitioner sees when one is out of bounds.
CASE_DATE_MESSAGES = {
    "consent": (
        gettext_lazy(
            "The consent date must be on or after the day the referral was submitted (%(day)s)"
        ),
        gettext_lazy("The consent date cannot be in the future"),
    ),
    "review": (
        gettext_lazy(
            "The review date must be on or after the day the referral was submitted (%(day)s)"
        ),
        gettext_lazy("The review date cannot be in the future"),
    ),
    "session": (
        gettext_lazy(
            "The session date must be on or after the day the referral was submitted (%(day)s)"
        ),
        gettext_lazy("The session date cannot be in the future"),
    ),
    "assessment": (
        gettext_lazy(
            "The assessment date must be on or after the day the referral was submitted (%(day)s)"
        ),
        gettext_lazy("The assessment date cannot be in the future"),
    ),
}


def case_date_error(referral, day: datetime.date, *, kind: str) -> str | None:
    """Why ``day`` cannot be the date of a ``kind`` record on ``referral``, or None.

    Nothing about a case happens before it was referred or after today: a record dated
    outside those bounds (a consent "given" in 2010 by a parent for someone now 26) would
    put the case into a state its real history does not support.
    """
    too_early, too_late = CASE_DATE_MESSAGES[kind]
    if day > _today():
        return str(too_late)
    if referral.submitted_at is not None:
        submitted = timezone.localdate(referral.submitted_at)
        if day < submitted:
            return str(too_early) % {"day": f"{submitted:%-d %B %Y}"}
    return None


def _lock_panel(actor, panel_id, *, chair_only: bool = True) -> Panel:
    panel = panels_visible_to(actor).select_for_update(of=("self",)).filter(pk=panel_id).first()
    if panel is None:
        raise Panel.DoesNotExist
    if chair_only and not is_chair_of_panel(actor, panel):
        raise ActionForbidden
    return panel


def _lock_case(actor, referral_id) -> Referral:
    referral = (
        channel_cases_visible_to(actor)
        .select_for_update(of=("self",))
        .select_related("subject")
        .filter(pk=referral_id)
        .first()
    )
    if referral is None:
        raise Referral.DoesNotExist
    return referral


def _require_case_work(actor, referral, states=None, what="") -> None:
    if not is_chair_for(actor, referral):
        raise ActionForbidden
    allowed = states or CHANNEL_STAGES
    if referral.state not in allowed or not may_work_on_case(actor, referral):
        raise TransitionNotAllowed(
            _("%(what)s cannot be recorded for a case in “%(state)s”.")
            % {"what": what or _("This"), "state": State(referral.state).label}
        )


def _members(actor, member_ids) -> list[User]:
    ids = {str(i) for i in (member_ids or []) if str(i).strip()}
    allowed = {str(u.pk): u for u in users_visible_to(actor).filter(pk__in=_uuids(ids, "members"))}
    missing = ids - set(allowed)
    if missing:
        raise GuardFailed(
            {
                "members": _(
                    "Invite only people from your local authority or its police force "
                    "(%(count)d not allowed)"
                )
                % {"count": len(missing)}
            }
        )
    return list(allowed.values())


def _uuids(values, field: str) -> list:
    out = []
    for value in values:
        try:
            out.append(uuid.UUID(str(value)))
        except ValueError:
            raise GuardFailed({field: _("“%s” is not a valid person id") % value}) from None
    return out


# --- Panels -----------------------------------------------------------------------------


@transaction.atomic
def panel_create(
    *, chair, date: datetime.date, location: str, member_ids=(), online_link: str = ""
) -> Panel:
    """Schedule a panel for the chair's local authority; the chair is always a member."""
    if not chair.has_role(Role.CHANNEL_CHAIR) or not chair.local_authority_id:
        raise ActionForbidden
    errors = {}
    if date is None:
        errors["date"] = _("Enter the date of the panel")
    elif date < _today():
        errors["date"] = _("The date of the panel must be today or in the future")
    location = (location or "").strip() or (online_link or "").strip()
    if not location:
        errors["location"] = _("Enter where the panel meets, or its online link")
    if errors:
        raise GuardFailed(errors)
    members = _members(chair, member_ids)
    panel = Panel.objects.create(
        local_authority_id=chair.local_authority_id, chair=chair, date=date, location=location
    )
    panel.members.set({*members, chair})
    audit_record(
        actor=chair, action="channel.panel.created", obj=panel, detail={"members": len(members)}
    )
    return panel


@transaction.atomic
def panel_set_members(*, panel_id, actor, member_ids) -> Panel:
    panel = _lock_panel(actor, panel_id)
    if panel.is_locked:
        raise TransitionNotAllowed(_("The minutes of this panel are signed off"))
    members = _members(actor, member_ids)
    panel.members.set({*members, panel.chair})
    for item in panel.agenda.select_related("referral"):
        sync_case_grants(item.referral)
    audit_record(actor=actor, action="channel.panel.members_changed", obj=panel)
    return panel


@transaction.atomic
def panel_add_case(*, panel_id, actor, referral_id, kind: str = "") -> AgendaItem:
    """Put a case on the agenda and grant every member access to it (guardian)."""
    panel = _lock_panel(actor, panel_id)
    if panel.is_held:
        raise TransitionNotAllowed(_("This panel has been held: its agenda cannot change"))
    referral = (
        referrals_visible_to(actor)
        .select_for_update(of=("self",))
        .filter(pk=referral_id, local_authority_id=panel.local_authority_id)
        .first()
    )
    if referral is None or not is_chair_for(actor, referral) or not referral.channel_entered_at:
        raise GuardFailed({"referral": _("Select a Channel case of your local authority")})
    if referral.state == State.CLOSED:
        raise GuardFailed(
            {"referral": _("This case is closed: reopen it before adding it to an agenda")}
        )
    if referral.state not in CHANNEL_STAGES:
        raise GuardFailed({"referral": _("Only a case in Channel can go on a panel agenda")})
    if panel.agenda.filter(referral=referral).exists():
        raise GuardFailed({"referral": _("This case is already on the agenda")})
    kind = kind or _default_kind(referral)
    if kind not in AgendaKind.values:
        raise GuardFailed({"kind": _("Select what the panel is to consider")})
    item = AgendaItem.objects.create(
        panel=panel, referral=referral, kind=kind, order=panel.agenda.count() + 1
    )
    sync_case_grants(referral)
    audit_record(
        actor=actor,
        action="channel.agenda.case_added",
        obj=referral,
        detail={"panel": str(panel.pk), "kind": kind},
    )
    return item


@transaction.atomic
def panel_add_reassessment(*, panel_id, actor, referral_id) -> AgendaItem:
    """Put a case whose consent reassessment is due on the agenda.

    The case was closed on declined or withdrawn consent: it reopens (back to awaiting
    panel, through the lifecycle) and joins the agenda as a consent reassessment, in one
    transaction, so a refusal leaves it closed and off the agenda.
    """
    from referrals import services as referral_services

    panel = _lock_panel(actor, panel_id)
    if panel.is_held:
        raise TransitionNotAllowed(_("This panel has been held: its agenda cannot change"))
    referral = (
        channel_cases_visible_to(actor)
        .filter(pk=referral_id, local_authority_id=panel.local_authority_id)
        .first()
    )
    if referral is None:
        raise GuardFailed({"referral": _("Select a Channel case of your local authority")})
    if referral.state != State.CLOSED or not referral.reassess_on:
        raise GuardFailed({"referral": _("This case has no consent reassessment due")})
    if referral.reassess_on > _today():
        raise GuardFailed(
            {
                "referral": _("The consent reassessment for this case is not due until %s")
                % f"{referral.reassess_on:%d %B %Y}"
            }
        )
    referral_services.referral_transition(
        referral_id=referral.pk,
        name="reopen",
        actor=actor,
        payload={
            "rationale": _("Consent reassessment due: added to the panel on %s")
            % f"{panel.date:%d %B %Y}"
        },
    )
    return panel_add_case(
        panel_id=panel.pk,
        actor=actor,
        referral_id=referral.pk,
        kind=AgendaKind.CONSENT_REASSESSMENT,
    )


def _default_kind(referral) -> str:
    return {
        State.CHANNEL_PANEL: AgendaKind.NEW_CASE,
        State.AWAITING_CONSENT: AgendaKind.REVIEW,
        State.SUPPORT: AgendaKind.REVIEW,
        State.POST_EXIT_REVIEW: AgendaKind.POST_EXIT_REVIEW,
    }.get(referral.state, AgendaKind.NEW_CASE)


@transaction.atomic
def panel_remove_case(*, panel_id, actor, referral_id) -> None:
    """Take a case off an agenda; members lose access unless another agenda holds it."""
    panel = _lock_panel(actor, panel_id)
    if panel.is_held:
        raise TransitionNotAllowed(_("This panel has been held: its agenda cannot change"))
    item = panel.agenda.select_related("referral").filter(referral_id=referral_id).first()
    if item is None:
        raise AgendaItem.DoesNotExist
    referral = item.referral
    item.delete()
    sync_case_grants(referral)
    audit_record(
        actor=actor,
        action="channel.agenda.case_removed",
        obj=referral,
        detail={"panel": str(panel.pk)},
    )


@transaction.atomic
def panel_hold(
    *, panel_id, actor, attended_ids, minutes: str = "", sign_off: bool = False
) -> Panel:
    """Record attendance (quorum: the local authority and the police) and mark it held."""
    panel = _lock_panel(actor, panel_id)
    if panel.is_locked:
        raise TransitionNotAllowed(_("The minutes of this panel are signed off"))
    if panel.date > _today():
        raise GuardFailed({"date": _("A panel can only be marked held on or after its date")})
    ids = {str(i) for i in (attended_ids or [])}
    members = {str(u.pk): u for u in panel.members.select_related("agency")}
    if not ids:
        raise GuardFailed({"attended": _("Select who attended the panel")})
    strangers = ids - set(members)
    if strangers:
        raise GuardFailed({"attended": _("Everyone who attended must be a member of the panel")})
    attended = [members[i] for i in ids]
    errors = {}
    if not any(is_local_authority_person(u) for u in attended):
        errors["attended"] = _(
            "The panel is not quorate: someone from the local authority must attend"
        )
    elif not any(is_police_person(u) for u in attended):
        errors["attended"] = _("The panel is not quorate: a police officer must attend")
    if errors:
        raise GuardFailed(errors)
    panel.attended.set(attended)
    panel.quorum_met = True
    panel.minutes = minutes or panel.minutes
    panel.held_at = panel.held_at or timezone.now()
    if sign_off:
        panel.signed_off_at = timezone.now()
    panel.save()
    audit_record(
        actor=actor,
        action="channel.panel.held",
        obj=panel,
        detail={"attended": len(attended), "signed_off": bool(sign_off)},
    )
    return panel


@transaction.atomic
def panel_update_minutes(*, panel_id, actor, minutes: str) -> Panel:
    panel = _lock_panel(actor, panel_id)
    if panel.is_locked:
        raise TransitionNotAllowed(_("The minutes of this panel are signed off and locked"))
    panel.minutes = minutes
    panel.save(update_fields=["minutes"])
    audit_record(actor=actor, action="channel.panel.minutes_saved", obj=panel)
    return panel


@transaction.atomic
def panel_sign_off(*, panel_id, actor) -> Panel:
    """The chair signs the minutes off: from now on the panel's record cannot change."""
    panel = _lock_panel(actor, panel_id)
    if not panel.is_held:
        raise TransitionNotAllowed(_("Mark the panel held before signing off its minutes"))
    if panel.is_locked:
        raise TransitionNotAllowed(_("The minutes are already signed off"))
    panel.signed_off_at = timezone.now()
    panel.save(update_fields=["signed_off_at"])
    audit_record(actor=actor, action="channel.panel.signed_off", obj=panel)
    return panel


@transaction.atomic
def agenda_item_record(
    *, item_id, actor, discussion: str, decision: str = "", rationale: str = ""
) -> AgendaItem:
    item = AgendaItem.objects.select_related("panel", "referral").filter(pk=item_id).first()
    if item is None:
        raise AgendaItem.DoesNotExist
    panel = _lock_panel(actor, item.panel_id)
    if panel.is_locked:
        raise TransitionNotAllowed(_("The minutes of this panel are signed off and locked"))
    if not (discussion or "").strip():
        raise GuardFailed({"discussion": _("Record what the panel discussed")})
    item.discussion, item.decision, item.rationale = discussion, decision, rationale
    item.save()
    audit_record(actor=actor, action="channel.agenda.discussion_recorded", obj=item.referral)
    return item


@transaction.atomic
def panel_action_add(
    *,
    panel_id,
    actor,
    description: str,
    owner_id=None,
    owner_name: str = "",
    due_date: datetime.date | None = None,
    referral_id=None,
) -> PanelAction:
    panel = _lock_panel(actor, panel_id)
    if panel.is_locked:
        raise TransitionNotAllowed(_("The minutes of this panel are signed off and locked"))
    errors = {}
    if not (description or "").strip():
        errors["description"] = _("Describe the action")
    owner = None
    if owner_id:
        owner = users_visible_to(actor).filter(pk__in=_uuids([owner_id], "owner")).first()
        if owner is None:
            errors["owner"] = _("Select an owner from your local authority")
    elif not (owner_name or "").strip():
        errors["owner"] = _("Say who owns the action")
    if referral_id and not panel.agenda.filter(referral_id=referral_id).exists():
        errors["referral"] = _("The action’s case must be on this panel’s agenda")
    if errors:
        raise GuardFailed(errors)
    action = PanelAction.objects.create(
        panel=panel,
        referral_id=referral_id,
        description=description.strip(),
        owner=owner,
        owner_name=owner_name,
        due_date=due_date,
    )
    audit_record(actor=actor, action="channel.panel.action_added", obj=panel)
    return action


@transaction.atomic
def agency_update_add(*, panel_id, referral_id, author, text: str) -> AgencyUpdate:
    """A panel member's update on a case on their panel's agenda."""
    panel = _lock_panel(author, panel_id, chair_only=False)
    if not panel.members.filter(pk=author.pk).exists():
        raise ActionForbidden
    referral = _lock_case(author, referral_id)
    if not panel.agenda.filter(referral=referral).exists():
        raise Referral.DoesNotExist
    if not (text or "").strip():
        raise GuardFailed({"text": _("Enter your agency’s update")})
    update = AgencyUpdate.objects.create(
        referral=referral, panel=panel, author=author, text=text.strip()
    )
    audit_record(actor=author, action="channel.agency_update_added", obj=referral)
    return update


# --- Vulnerability assessment ------------------------------------------------------------


@transaction.atomic
def vulnerability_assessment_record(
    *,
    referral_id,
    actor,
    framework: str,
    ratings: dict,
    summary: str,
    management_plan: str,
    evidence: dict | None = None,
    date: datetime.date | None = None,
) -> VulnerabilityAssessment:
    """Record a dated assessment with every factor of the framework rated."""
    referral = _lock_case(actor, referral_id)
    _require_case_work(actor, referral, what=_("An assessment"))
    errors: dict[str, str] = {}
    fw = AssessmentFramework.objects.filter(pk=framework or "", active=True).first()
    if fw is None:
        raise GuardFailed({"framework": _("Select an assessment framework")})
    ratings = dict(ratings or {})
    codes = list(fw.factors.values_list("code", flat=True))
    missing = [code for code in codes if ratings.get(code) in (None, "")]
    unknown = [code for code in ratings if code not in codes]
    bad = [
        code for code in codes if code in ratings and ratings[code] not in fw.ratings + [None, ""]
    ]
    if missing:
        errors["ratings"] = _("Rate every factor. Not rated: %s") % ", ".join(missing)
    elif unknown:
        errors["ratings"] = _("Unknown factors: %s") % ", ".join(unknown)
    elif bad:
        errors["ratings"] = _("Use one of %(allowed)s for: %(codes)s") % {
            "allowed": ", ".join(fw.ratings),
            "codes": ", ".join(bad),
        }
    if not (summary or "").strip():
        errors["summary"] = _("Enter a summary conclusion")
    if not (management_plan or "").strip():
        errors["management_plan"] = _("Enter a management plan")
    wrong_date = case_date_error(referral, date, kind="assessment") if date else None
    if wrong_date:
        errors["date"] = wrong_date
    if errors:
        raise GuardFailed(errors)
    assessment = VulnerabilityAssessment.objects.create(
        referral=referral,
        framework=fw,
        assessor=actor,
        date=date or _today(),
        ratings={code: ratings[code] for code in codes},
        evidence={k: str(v) for k, v in (evidence or {}).items() if k in codes and v},
        summary=summary.strip(),
        management_plan=management_plan.strip(),
    )
    audit_record(actor=actor, action="channel.vulnerability_assessment_recorded", obj=referral)
    return assessment


# --- Consent -----------------------------------------------------------------------------


def consenter_errors(referral, *, given_by: str, given_by_name: str, relationship: str, date):
    """The age rule: 18 or over on the consent date consents themselves; else a parent."""
    errors = {}
    if given_by not in GivenBy.values:
        return {"given_by": _("Say who gave or declined consent")}
    age = referral.subject.age_on(date) if date else None
    if age is not None and age >= 18 and given_by != GivenBy.INDIVIDUAL:
        errors["given_by"] = _(
            "The person was %(age)d on the consent date: consent must come from them, "
            "not a parent or guardian"
        ) % {"age": age}
    if age is not None and age < 18 and given_by != GivenBy.PARENT_OR_GUARDIAN:
        errors["given_by"] = _(
            "The person was under 18 on the consent date: consent must come from a parent "
            "or guardian"
        )
    if given_by == GivenBy.PARENT_OR_GUARDIAN:
        if not (given_by_name or "").strip():
            errors["given_by_name"] = _("Enter the name of the parent or guardian")
        if not (relationship or "").strip():
            errors["relationship"] = _("Enter their relationship to the person")
    return errors


@transaction.atomic
def consent_record(*, referral_id, actor, data: dict[str, Any]) -> Consent:
    referral = _lock_case(actor, referral_id)
    _require_case_work(actor, referral, SUPPORT_STATES, what=_("Consent"))
    date = data.get("date")
    errors = {}
    if not isinstance(date, datetime.date):
        errors["date"] = _("Enter the date consent was given or declined")
    elif wrong_date := case_date_error(referral, date, kind="consent"):
        errors["date"] = wrong_date
    # The age rule reads the age on the consent date, and only on a date within the bounds.
    age_date = date if isinstance(date, datetime.date) and "date" not in errors else None
    decision = data.get("decision") or ""
    if decision not in ConsentDecision.values:
        errors["decision"] = _("Say whether consent was given or declined")
    errors.update(
        consenter_errors(
            referral,
            given_by=data.get("given_by") or "",
            given_by_name=data.get("given_by_name") or "",
            relationship=data.get("relationship") or "",
            date=age_date,
        )
    )
    if errors:
        raise GuardFailed(errors)
    name = (data.get("given_by_name") or "").strip()
    if data["given_by"] == GivenBy.INDIVIDUAL and not name:
        name = referral.subject.full_name
    consent = Consent.objects.create(
        referral=referral,
        given_by=data["given_by"],
        given_by_name=name,
        relationship=(data.get("relationship") or "").strip()
        if data["given_by"] == GivenBy.PARENT_OR_GUARDIAN
        else "",
        date=date,
        decision=decision,
        child_view=(data.get("child_view") or "").strip(),
        how_sought=(data.get("how_sought") or "").strip(),
        recorded_by=actor,
    )
    if consent.how_sought:
        plan, _created = SupportPlan.objects.get_or_create(referral=referral)
        plan.consent_sought = consent.how_sought
        plan.save(update_fields=["consent_sought"])
    audit_record(
        actor=actor, action="channel.consent_recorded", obj=referral, detail={"decision": decision}
    )
    return consent


# --- Support plan, interventions, sessions ---------------------------------------------


@transaction.atomic
def intervention_add(*, referral_id, actor, data: dict[str, Any]) -> Intervention:
    referral = _lock_case(actor, referral_id)
    _require_case_work(actor, referral, SUPPORT_STATES, what=_("An intervention"))
    errors = {}
    kind = data.get("type") or ""
    if kind not in InterventionType.values:
        errors["type"] = _("Select the type of support")
    provider = None
    provider_id = data.get("provider")
    provider_name = (data.get("provider_name") or "").strip()
    if provider_id:
        provider = (
            users_visible_to(actor, role=Role.INTERVENTION_PROVIDER)
            .filter(pk__in=_uuids([provider_id], "provider"))
            .first()
        )
        if provider is None:
            errors["provider"] = _("Select an intervention provider of your local authority")
    elif not provider_name:
        errors["provider"] = _("Select the provider or enter the provider’s name")
    start = data.get("start_date")
    if not isinstance(start, datetime.date):
        errors["start_date"] = _("Enter the start date")
    try:
        hours = Decimal(str(data.get("hours") if data.get("hours") is not None else 0))
        if hours < 0 or hours > 9999:
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors["hours"] = _("Enter the planned hours as a number")
        hours = Decimal(0)
    status = data.get("status") or InterventionStatus.PLANNED
    if status not in InterventionStatus.values:
        errors["status"] = _("Select the status")
    if errors:
        raise GuardFailed(errors)
    plan, _created = SupportPlan.objects.get_or_create(referral=referral)
    intervention = Intervention.objects.create(
        plan=plan,
        referral=referral,
        type=kind,
        provider=provider,
        provider_name=provider_name if provider is None else provider.display_name,
        start_date=start,
        hours=hours,
        status=status,
    )
    audit_record(
        actor=actor, action="channel.intervention_added", obj=referral, detail={"type": kind}
    )
    return intervention


@transaction.atomic
def intervention_set_status(*, intervention_id, actor, status: str) -> Intervention:
    intervention = interventions_visible_to(actor).filter(pk=intervention_id).first()
    if intervention is None:
        raise Intervention.DoesNotExist
    referral = _lock_case(actor, intervention.referral_id)
    _require_case_work(actor, referral, what=_("An intervention"))
    if status not in InterventionStatus.values:
        raise GuardFailed({"status": _("Select the status")})
    intervention.status = status
    intervention.save(update_fields=["status"])
    audit_record(actor=actor, action="channel.intervention_updated", obj=referral)
    return intervention


@transaction.atomic
def intervention_session_record(
    *, intervention_id, actor, date: datetime.date, hours=1, notes: str = ""
) -> InterventionSession:
    """The allocated provider (or the chair) records a session."""
    intervention = (
        interventions_visible_to(actor)
        .select_for_update(of=("self",))
        .select_related("referral")
        .filter(pk=intervention_id)
        .first()
    )
    if intervention is None:
        raise Intervention.DoesNotExist
    if intervention.provider_id != actor.pk and not is_chair_for(actor, intervention.referral):
        raise ActionForbidden
    if intervention.referral.state not in SUPPORT_STATES:
        raise TransitionNotAllowed(_("Sessions can only be recorded while support is open"))
    errors = {}
    if not isinstance(date, datetime.date):
        errors["date"] = _("Enter the date of the session")
    elif wrong_date := case_date_error(intervention.referral, date, kind="session"):
        errors["date"] = wrong_date
    if errors:
        raise GuardFailed(errors)
    session = InterventionSession.objects.create(
        intervention=intervention, date=date, hours=hours or 1, notes=notes, recorded_by=actor
    )
    if intervention.status == InterventionStatus.PLANNED:
        intervention.status = InterventionStatus.ACTIVE
        intervention.save(update_fields=["status"])
    audit_record(actor=actor, action="channel.session_recorded", obj=intervention)
    return session


@transaction.atomic
def support_plan_update(
    *, referral_id, actor, consent_sought: str | None = None, closing_report: str | None = None
) -> SupportPlan:
    referral = _lock_case(actor, referral_id)
    _require_case_work(actor, referral, what=_("The support plan"))
    if closing_report is not None:
        if referral.state not in (State.SUPPORT, State.POST_EXIT_REVIEW):
            raise TransitionNotAllowed(
                _("The closing report is written when the person exits Channel support")
            )
        if not closing_report.strip():
            raise GuardFailed(
                {"closing_report": _("Enter the closing report: how support went and why it ended")}
            )
        closing_report = closing_report.strip()
    plan, _created = SupportPlan.objects.get_or_create(referral=referral)
    if consent_sought is not None:
        plan.consent_sought = consent_sought
    if closing_report is not None:
        plan.closing_report = closing_report
    plan.save()
    audit_record(actor=actor, action="channel.support_plan_updated", obj=referral)
    return plan


# --- Reviews -----------------------------------------------------------------------------

REVIEW_STATES = {
    ReviewKind.PANEL: (State.AWAITING_CONSENT, State.SUPPORT),
    ReviewKind.POST_EXIT_6_MONTHS: (State.POST_EXIT_REVIEW,),
    ReviewKind.POST_EXIT_12_MONTHS: (State.POST_EXIT_REVIEW,),
}


@transaction.atomic
def review_record(*, referral_id, actor, data: dict[str, Any]) -> Review:
    referral = _lock_case(actor, referral_id)
    kind = data.get("kind") or ""
    if kind not in ReviewKind.values:
        _require_case_work(actor, referral, what=_("A review"))
        raise GuardFailed({"kind": _("Select the kind of review")})
    _require_case_work(actor, referral, REVIEW_STATES[kind], what=ReviewKind(kind).label)
    errors = {}
    date = data.get("date")
    if not isinstance(date, datetime.date):
        errors["date"] = _("Enter the date of the review")
    elif wrong_date := case_date_error(referral, date, kind="review"):
        errors["date"] = wrong_date
    if data.get("risk_change") not in RiskChange.values:
        errors["risk_change"] = _("Say whether the risk has reduced, stayed the same or increased")
    if kind != ReviewKind.PANEL and referral.reviews.filter(kind=kind).exists():
        errors["kind"] = _("This post-exit review has already been recorded")
    if errors:
        raise GuardFailed(errors)
    review = Review.objects.create(
        referral=referral,
        kind=kind,
        date=date,
        risk_change=data["risk_change"],
        recommend_exit=bool(data.get("recommend_exit")),
        notes=(data.get("notes") or "").strip(),
        recorded_by=actor,
    )
    audit_record(actor=actor, action="channel.review_recorded", obj=referral, detail={"kind": kind})
    return review


# --- Packs -------------------------------------------------------------------------------


@transaction.atomic
def panel_pack_record_download(*, pack: PanelPack, actor: User, via: str) -> None:
    """Audit one download of a pack copy: an event for its panel and one per case in it.

    Reading the pack reads each case in it, so each case's access log must show it; the
    events go in one INSERT. ``via`` says which door it left by (page, api or job).
    """
    audit_record_many(
        actor=actor,
        action="channel.pack.downloaded",
        targets=pack.audit_targets(),
        detail={**pack.audit_detail(), "via": via},
    )


@transaction.atomic
def panel_pack_request(*, panel_id, actor) -> Job:
    """Queue the panel pack job (a PDF per member); the chair only."""
    panel = _lock_panel(actor, panel_id)
    return job_create(
        owner=actor,
        kind="channel.panel_pack",
        params={"panel": str(panel.pk)},
        task=tasks.generate_panel_pack,
    )
