"""The local risk assessment (versioned, with its priorities), CTLP briefings readable only
by named people, and the partnership plan."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any
from uuid import UUID

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from accounts.models import User
from prevent_cms.audit import audit_record
from prevent_cms.errors import GuardFailed

from ..common import area_of, checked_document
from ..models import CtlpBriefing, Plan, Risk, RiskAssessment, RiskLevel
from ..selectors import ctlp_reader_candidates


@transaction.atomic
def risk_assessment_create(
    *,
    actor: User,
    assessed_on: datetime.date,
    review_by: datetime.date,
    summary: str,
    risks: Iterable[dict[str, Any]],
) -> RiskAssessment:
    """Record a new version of the local risk assessment with its ranked priorities; the
    earlier versions stay as they were (what the partnership knew then)."""
    area = area_of(actor)
    risks = [r for r in risks if (r.get("title") or "").strip()]
    errors = {}
    if assessed_on is None:
        errors["assessed_on"] = _("Enter the date of the assessment")
    if review_by is None:
        errors["review_by"] = _("Enter the date the assessment must be reviewed by")
    elif assessed_on is not None and review_by <= assessed_on:
        errors["review_by"] = _("The review date must be after the date of the assessment")
    if not (summary or "").strip():
        errors["summary"] = _("Enter a summary of the assessment")
    if not risks:
        errors["risks"] = _("Enter at least one priority")
    elif any(r.get("level") not in RiskLevel.values for r in risks):
        errors["risks"] = _("Select the level of each priority")
    if errors:
        raise GuardFailed(errors)
    latest = RiskAssessment.objects.select_for_update().filter(local_authority=area)
    version = (latest.aggregate(v=Max("version"))["v"] or 0) + 1
    assessment = RiskAssessment.objects.create(
        local_authority=area,
        version=version,
        assessed_on=assessed_on,
        review_by=review_by,
        summary=summary.strip(),
        created_by=actor,
    )
    Risk.objects.bulk_create(
        Risk(assessment=assessment, title=r["title"].strip()[:200], level=r["level"], rank=rank)
        for rank, r in enumerate(risks, start=1)
    )
    audit_record(
        actor=actor,
        action="partnership.risk_assessment.created",
        obj=assessment,
        detail={"version": version, "risks": len(risks)},
    )
    return assessment


@transaction.atomic
def ctlp_briefing_upload(
    *,
    actor: User,
    title: str,
    received_on: datetime.date,
    upload: UploadedFile,
    reader_ids: Iterable[UUID | str],
) -> CtlpBriefing:
    """Keep a CTLP briefing (a PDF, so each reader's copy can be watermarked) readable only
    by the people named (``ctlp_reader_candidates``: the area's borough leads, Prevent leads
    and Channel chairs, and the force's Prevent officers). The uploader reads it only if
    they name themselves."""
    area = area_of(actor)
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("Enter the title of the briefing")
    if received_on is None:
        errors["received_on"] = _("Enter the date the briefing was received")
    ids = {str(i) for i in reader_ids or []}
    readers = list(ctlp_reader_candidates(actor).filter(pk__in=ids)) if ids else []
    if not ids:
        errors["readers"] = _("Name at least one person who may read the briefing")
    elif len(readers) != len(ids):
        errors["readers"] = _("Name people of your local authority or its police force")
    if errors:
        raise GuardFailed(errors)
    content_type, name, size = checked_document(upload=upload)
    if content_type != "application/pdf":
        raise GuardFailed({"file": _("The briefing must be a PDF")})
    briefing = CtlpBriefing(
        local_authority=area,
        title=title.strip(),
        received_on=received_on,
        content_type=content_type,
        size=size,
        uploaded_by=actor,
    )
    briefing.file.save(name, upload, save=False)
    briefing.save()
    briefing.readers.set(readers)
    audit_record(
        actor=actor,
        action="partnership.ctlp.uploaded",
        obj=briefing,
        detail={"readers": [str(r.pk) for r in readers]},
    )
    return briefing


@transaction.atomic
def ctlp_briefing_record_read(*, actor: User, briefing: CtlpBriefing, via: str) -> None:
    """Audit a named reader's download of their watermarked copy."""
    audit_record(actor=actor, action="partnership.ctlp.read", obj=briefing, detail={"via": via})


@transaction.atomic
def ctlp_briefing_record_refusal(*, actor: User, briefing_id: UUID | str, via: str) -> None:
    """Audit a refused read (someone not named, or no such briefing): they were answered
    404, and the borough lead should know someone tried."""
    audit_record(
        actor=actor,
        action="partnership.ctlp.read_refused",
        object_type=CtlpBriefing._meta.label_lower,
        object_id=str(briefing_id),
        detail={"via": via},
    )


@transaction.atomic
def plan_create(
    *, actor: User, title: str, starts_on: datetime.date, ends_on: datetime.date
) -> Plan:
    """Start a partnership plan for a period; its actions answer the assessment's risks."""
    area = area_of(actor)
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("Enter the title of the plan")
    if starts_on is None:
        errors["starts_on"] = _("Enter the date the plan starts")
    if ends_on is None:
        errors["ends_on"] = _("Enter the date the plan ends")
    elif starts_on is not None and ends_on <= starts_on:
        errors["ends_on"] = _("The plan must end after it starts")
    if errors:
        raise GuardFailed(errors)
    plan = Plan.objects.create(
        local_authority=area,
        title=title.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=actor,
    )
    audit_record(actor=actor, action="partnership.plan.created", obj=plan)
    return plan
