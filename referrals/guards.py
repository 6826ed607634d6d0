"""Guards for the police-stage transitions and closure rules (DESIGN.md §4).

Each is registered under the name a transition lists in its ``guards`` (models.py); the
rationale rule is declared there too (``rationale_required``) and checked by ``lifecycle``.
Channel-stage guards (assessment, consent, reviews) are registered by the ``channel`` app.
Messages name the missing data in words a practitioner understands.
"""

from django.utils.translation import gettext as _

from . import lifecycle
from .choices import (
    REASONS_NEEDING_REASSESSMENT,
    REASONS_NEEDING_SIGNPOST,
    ClosureReason,
    Deconfliction,
    SignpostService,
    State,
    closure_reasons_for,
)


def missing_referral_fields(referral) -> dict[str, str]:
    """Every required answer of the referral form (DESIGN.md §5 create body)."""
    subject = referral.subject
    checks = {
        "first_name": (subject.first_name, _("Enter the person’s first name")),
        "last_name": (subject.last_name, _("Enter the person’s last name")),
        "date_of_birth": (subject.date_of_birth, _("Enter the person’s date of birth")),
        "gender": (subject.gender, _("Select the person’s gender")),
        "address": (subject.address, _("Enter the person’s address")),
        "postcode": (subject.postcode, _("Enter the person’s postcode")),
        "concern_summary": (referral.concern_summary, _("Describe what you are worried about")),
        "how_concern_arose": (referral.how_concern_arose, _("Describe how the concern arose")),
        "referrer_phone": (referral.referrer_phone, _("Enter your phone number")),
    }
    if referral.on_behalf:
        # Recorded on someone's behalf: their phone is in the contact details, if they gave one.
        del checks["referrer_phone"]
    errors = {field: message for field, (value, message) in checks.items() if not value}
    if referral.immediate_risk is None:
        errors["immediate_risk"] = _("Say whether anyone is in immediate danger")
    if referral.subject_aware is None:
        errors["subject_aware"] = _("Say whether the person knows about this referral")
    return errors


def _refer_to_channel(referral, payload):
    latest = referral.assessments.order_by("-created_at").first()
    if latest is None:
        return {"assessment": _("Record the gateway assessment before referring to Channel")}
    if latest.deconfliction != Deconfliction.CLEARED:
        return {
            "deconfliction": _(
                "Deconfliction must be recorded as cleared before referring to Channel"
            )
        }
    return {}


def _close(referral, payload):
    if payload is None:
        return {}
    reason = payload.get("reason") or ""
    allowed = closure_reasons_for(referral.state)
    if not reason:
        return {"reason": _("Select the reason for closing the case")}
    if reason not in allowed:
        names = ", ".join(sorted(allowed))
        return {"reason": _("A case at this stage can only close as: %(names)s") % {"names": names}}
    errors = {}
    if (
        reason in REASONS_NEEDING_SIGNPOST
        and payload.get("signposted_to") not in SignpostService.values
    ):
        errors["signposted_to"] = _("Select the service the person was signposted to")
    if reason in REASONS_NEEDING_REASSESSMENT and not payload.get("reassess_on"):
        errors["reassess_on"] = _("Enter the date the panel will reassess the case")
    return errors


def _reopen(referral, payload):
    if referral.closure_reason not in (
        ClosureReason.CONSENT_DECLINED,
        ClosureReason.CONSENT_WITHDRAWN,
    ):
        return {
            "state": _("Only a case closed because consent was declined or withdrawn can reopen")
        }
    return {}


lifecycle.register_guard(
    "referral_form_complete", lambda referral, payload: missing_referral_fields(referral)
)
lifecycle.register_guard("deconfliction_cleared", _refer_to_channel)
lifecycle.register_guard("closure_reason_allowed", _close)
lifecycle.register_guard("closed_on_consent", _reopen)

__all__ = ["State", "missing_referral_fields"]
