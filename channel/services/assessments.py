"""The vulnerability assessment a chair records against a framework's factors."""

from __future__ import annotations

import datetime
from uuid import UUID

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from prevent_cms.audit import audit_record
from prevent_cms.errors import GuardFailed

from ..models import AssessmentFramework, VulnerabilityAssessment
from .common import case_date_error, lock_case, require_case_work, today


@transaction.atomic
def vulnerability_assessment_record(
    *,
    referral_id: UUID | str,
    actor: User,
    framework: str,
    ratings: dict,
    summary: str,
    management_plan: str,
    evidence: dict | None = None,
    date: datetime.date | None = None,
) -> VulnerabilityAssessment:
    """Record a dated assessment with every factor of the framework rated."""
    referral = lock_case(actor=actor, referral_id=referral_id)
    require_case_work(actor=actor, referral=referral, what=_("An assessment"))
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
    wrong_date = case_date_error(referral=referral, day=date, kind="assessment") if date else None
    if wrong_date:
        errors["date"] = wrong_date
    if errors:
        raise GuardFailed(errors)
    assessment = VulnerabilityAssessment.objects.create(
        referral=referral,
        framework=fw,
        assessor=actor,
        date=date or today(),
        ratings={code: ratings[code] for code in codes},
        evidence={k: str(v) for k, v in (evidence or {}).items() if k in codes and v},
        summary=summary.strip(),
        management_plan=management_plan.strip(),
    )
    audit_record(actor=actor, action="channel.vulnerability_assessment_recorded", obj=referral)
    return assessment
