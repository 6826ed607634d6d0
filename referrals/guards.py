"""Guards for the police-stage transitions and closure rules (DESIGN.md §4).

Each is registered under the name a transition lists in its ``guards`` (models.py); the
rationale rule is declared there too (``rationale_required``) and checked by ``lifecycle``.
Channel-stage guards (assessment, consent, reviews) are registered by the ``channel`` app.
Messages name the missing data in words a practitioner understands.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

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


@dataclass(frozen=True)
class RequiredAnswer:
    """One answer a referral must have before it is sent, and what to say when it is not.

    ``on_subject``: the answer is about the person (``Subject``), not the referral.
    """

    name: str
    message: Promise
    on_subject: bool = False
    # Asked of a referrer sending their own referral; one recorded on someone's behalf
    # (issue 15) has the person's contact details instead, so it is not asked there.
    own_referral_only: bool = False
    # Asked only of a referral recorded on someone's behalf: about the person who raised it.
    on_behalf_only: bool = False

    def given(self, referral) -> bool:
        value = getattr(referral.subject if self.on_subject else referral, self.name)
        return value is not None and value != ""


# The one rule of what a referral needs before it is sent (DESIGN.md §5 create body, and
# the national form's yes/no questions), in the form's order. The submit guard reads it,
# so the API's ``submit`` and the browser's "Accept and send" refuse the same drafts; the
# question pages (``forms.draft.SectionForm``) mark exactly these questions required, with
# these messages. Add a required question here, nowhere else.
REQUIRED_ANSWERS: tuple[RequiredAnswer, ...] = (
    RequiredAnswer("first_name", _lazy("Enter the person’s first name"), on_subject=True),
    RequiredAnswer("last_name", _lazy("Enter the person’s last name"), on_subject=True),
    RequiredAnswer("date_of_birth", _lazy("Enter the person’s date of birth"), on_subject=True),
    RequiredAnswer("gender", _lazy("Select the person’s gender"), on_subject=True),
    RequiredAnswer("address", _lazy("Enter the person’s address"), on_subject=True),
    RequiredAnswer("postcode", _lazy("Enter the person’s postcode"), on_subject=True),
    RequiredAnswer("immediate_risk", _lazy("Say whether anyone is in immediate danger")),
    RequiredAnswer("concern_summary", _lazy("Describe what you are worried about")),
    RequiredAnswer("how_concern_arose", _lazy("Describe how the concern arose")),
    RequiredAnswer(
        "discussed_with_lead",
        _lazy("Say whether you have discussed this with your safeguarding lead"),
    ),
    RequiredAnswer("subject_aware", _lazy("Say whether the person knows about this referral")),
    RequiredAnswer("referrer_phone", _lazy("Enter your phone number"), own_referral_only=True),
    # A draft may lack it (a national form does not say its sender's sector); the statistics
    # count it, so it is asked before the referral is sent (issue 15).
    RequiredAnswer("contact_sector", _lazy("Select the referrer’s sector"), on_behalf_only=True),
)
REQUIRED_ANSWER_NAMES = frozenset(answer.name for answer in REQUIRED_ANSWERS)


def missing_referral_fields(referral) -> dict[str, str]:
    """Every required answer (``REQUIRED_ANSWERS``) the referral lacks, with its message."""
    return {
        answer.name: str(answer.message)
        for answer in REQUIRED_ANSWERS
        if not answer.given(referral)
        and not (answer.own_referral_only and referral.on_behalf)
        and not (answer.on_behalf_only and not referral.on_behalf)
    }


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

__all__ = ["REQUIRED_ANSWERS", "RequiredAnswer", "State", "missing_referral_fields"]
