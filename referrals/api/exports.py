"""Exports of cases through the API, each a background job: the officers' case list (the
queue's "Download these cases (CSV)") and a subject access export (the retention pages').

Both answer 202 with the job (``prevent_cms.api.responses.job_accepted``); the file is
collected from ``/api/v1/jobs/{id}/result/``, authorised again when it is read. Who may ask,
what the filters mean and what is audited are the services' (``referral_export_request``,
``subject_access_request``); the names searched for travel in the body, never in a URL.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.views import APIView

from accounts.models import Sector
from prevent_cms.api.fields import StrictBooleanField, StrictCharField
from prevent_cms.api.idempotency import IdempotentPost
from prevent_cms.api.responses import JobAcceptedSerializer, job_accepted

from .. import services
from ..choices import State
from ..permissions import may_export_referrals
from ..retention import may_review_retention
from ..subject_access import FORMATS

STAGES = [(value, label) for value, label in State.choices if value != State.DRAFT]


class CaseExportInputSerializer(serializers.Serializer):
    """The queue's filters (each optional) and why the list is needed."""

    state = serializers.ChoiceField(
        choices=STAGES,
        required=False,
        allow_blank=True,
        error_messages={"invalid_choice": "Select a stage from the list"},
    )
    local_authority = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text="A local authority of your force (`/api/v1/local-authorities/`).",
        error_messages={"invalid": "Select a local authority from the list"},
    )
    sector = serializers.ChoiceField(
        choices=Sector.choices,
        required=False,
        allow_blank=True,
        help_text="The referrer's sector.",
        error_messages={"invalid_choice": "Select a sector from the list"},
    )
    urgent = StrictBooleanField(default=False, help_text="Urgent cases only.")
    overdue = StrictBooleanField(default=False, help_text="Overdue cases only.")
    include_closed = StrictBooleanField(default=True)
    reason = StrictCharField(
        max_length=500,
        help_text="Why you need the list (at least 10 characters). Recorded with the export "
        "and in the access log of every case in it.",
        error_messages={
            "required": "Give the reason you need this list of cases",
            "blank": "Give the reason you need this list of cases",
        },
    )


@extend_schema(
    summary="Export a list of your force's cases (CSV), as a job (Prevent officers)",
    description="The triage queue's filters and a reason; answers 202 with the job. The CSV "
    "is read from `/api/v1/jobs/{id}/result/` while you may still see every case in it. The "
    "request, the export and every case in it are recorded in the audit trail with the reason.",
    request=CaseExportInputSerializer,
    responses={202: JobAcceptedSerializer},
    examples=[
        OpenApiExample(
            "Open urgent cases",
            request_only=True,
            value={
                "state": "police_assessment",
                "urgent": True,
                "include_closed": False,
                "reason": "Quarterly performance return",
            },
        )
    ],
    tags=["referrals"],
)
class CaseExportStart(IdempotentPost, APIView):
    starts_job = True

    def post(self, request):
        if not may_export_referrals(request.user):  # as the page: who may ask, then what
            raise exceptions.PermissionDenied("Only a Prevent officer may export a list of cases.")
        data = CaseExportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        filters = dict(data.validated_data)
        reason = filters.pop("reason")
        job = services.referral_export_request(actor=request.user, filters=filters, reason=reason)
        return job_accepted(request, job.pk)


class SubjectAccessInputSerializer(serializers.Serializer):
    first_name = StrictCharField(
        max_length=100, error_messages={"required": "Enter the first name"}
    )
    last_name = StrictCharField(max_length=100, error_messages={"required": "Enter the last name"})
    date_of_birth = serializers.DateField(
        error_messages={
            "required": "Enter the date of birth",
            "invalid": "Enter the date of birth as YYYY-MM-DD",
        }
    )
    reason = StrictCharField(
        max_length=200,
        help_text="The request's reference or the reason for the export; kept in the audit trail.",
        error_messages={
            "required": "Give the request reference or the reason for this export",
            "blank": "Give the request reference or the reason for this export",
        },
    )
    format = serializers.ChoiceField(
        choices=FORMATS,
        default="pdf",
        error_messages={"invalid_choice": "Select PDF or JSON"},
    )


@extend_schema(
    summary="Export everything held about one person (subject access), as a job",
    description="For Prevent officers and Channel chairs: the cases you may see in full whose "
    "person has this name and date of birth, as PDF or JSON, third parties marked for "
    "redaction. Answers 202 with the job; the file is read from `/api/v1/jobs/{id}/result/` "
    "while those cases are still yours. Each case exported is recorded in its access log with "
    "the reason.",
    request=SubjectAccessInputSerializer,
    responses={202: JobAcceptedSerializer},
    examples=[
        OpenApiExample(
            "A subject access request",
            request_only=True,
            value={
                "first_name": "Alex",
                "last_name": "Example",
                "date_of_birth": "2009-05-14",
                "reason": "SAR-2026-0042",
                "format": "pdf",
            },
        )
    ],
    tags=["referrals"],
)
class SubjectAccessExportStart(IdempotentPost, APIView):
    starts_job = True

    def post(self, request):
        if not may_review_retention(request.user):
            raise exceptions.PermissionDenied(
                "Only a Prevent officer or Channel chair may make this export."
            )
        data = SubjectAccessInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        body = data.validated_data
        job = services.subject_access_request(
            actor=request.user,
            first_name=body["first_name"],
            last_name=body["last_name"],
            date_of_birth=body["date_of_birth"],
            fmt=body["format"],
            reason=body["reason"],
        )
        return job_accepted(request, job.pk)
