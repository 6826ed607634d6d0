"""The reports API: thin views over reports.selectors, reports.suppression and services."""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.renderers import BaseRenderer, BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.authentication import signed_in
from prevent_cms.api.idempotency import IdempotentPost
from prevent_cms.api.lists import query_params
from prevent_cms.api.responses import JobAcceptedSerializer, job_accepted
from prevent_cms.audit import audit_record

from ..exports import CONTENT_TYPES, STATISTICS_WRITERS, statistics_filename
from ..selectors import (
    ALL_LOCAL_AUTHORITIES,
    compliance_local_authority_for,
    statistics_for,
    statistics_period_get,
    statistics_scope_get,
    statistics_suppressed_for,
)
from ..services import export_start
from ..suppression import suppress_statistics
from .serializers import PERIOD_HELP, ExportRequestSerializer, StatisticsSerializer


class StatisticsQuerySerializer(serializers.Serializer):
    """The query parameters checked here (the period and scope are checked by selectors)."""

    suppressed = serializers.BooleanField(required=False, default=False)


class _FileRenderer(BaseRenderer):
    """Lets ``?format=csv|xlsx`` through DRF's content negotiation; the view writes the file.

    Error answers never come here (``prevent_cms.api.exception_handler`` answers them as JSON
    with a true content type); ``render`` exists because ``BaseRenderer`` requires it."""

    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return JSONRenderer().render(data)


class CSVRenderer(_FileRenderer):
    media_type = CONTENT_TYPES["csv"]
    format = "csv"


class XLSXRenderer(_FileRenderer):
    media_type = CONTENT_TYPES["xlsx"]
    format = "xlsx"


@extend_schema(
    summary="Aggregated statistics for a period and a local authority or a whole police force",
    description=(
        "Counts only, never a row about a person, in the Home Office table shapes. Borough "
        "leads get their own local authority, always with small-number suppression, for a "
        "period of at least a calendar month. `?format=csv` or `xlsx` answers the same "
        "figures as a file (audited as an export). A local authority or police force outside "
        "your scope answers 404."
    ),
    tags=["reports"],
    parameters=[
        OpenApiParameter(
            "from", OpenApiTypes.DATE, description="Start date, inclusive. " + PERIOD_HELP
        ),
        OpenApiParameter("to", OpenApiTypes.DATE, description="End date, inclusive."),
        OpenApiParameter(
            "local_authority",
            str,
            description=(
                "Local authority id (default: your own), or "
                f"'{ALL_LOCAL_AUTHORITIES}' for every local authority of your police force"
            ),
        ),
        OpenApiParameter(
            "police_force",
            OpenApiTypes.UUID,
            description="Police force id: the whole force (Prevent officers, own force only)",
        ),
        OpenApiParameter(
            "suppressed",
            bool,
            description=(
                "Apply small-number suppression (always applied for a borough lead, whose "
                "period must also be at least one calendar month)"
            ),
        ),
        OpenApiParameter(
            "format", str, enum=["json", "csv", "xlsx"], description="json (default), csv or xlsx"
        ),
    ],
    responses={
        200: StatisticsSerializer,
        (200, CONTENT_TYPES["csv"]): OpenApiTypes.BINARY,
        (200, CONTENT_TYPES["xlsx"]): OpenApiTypes.BINARY,
    },
)
class StatisticsView(APIView):
    """Counts only: never a row about a person. 404 for a local authority or police force
    out of scope (a borough lead's scope is their local authority, never the force).

    ``?format=csv`` or ``xlsx`` returns the same figures as a file (audited as an export).
    """

    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, CSVRenderer, XLSXRenderer]

    def get(self, request: Request) -> HttpResponse:
        scope = statistics_scope_get(
            request.user,
            local_authority_id=request.query_params.get("local_authority"),
            police_force_id=request.query_params.get("police_force"),
        )
        period = statistics_period_get(
            request.user,
            start=request.query_params.get("from"),
            end=request.query_params.get("to"),
        )
        stats = statistics_for(
            period=period, local_authority=scope.local_authority, police_force=scope.police_force
        )
        suppressed = statistics_suppressed_for(
            request.user, requested=query_params(StatisticsQuerySerializer, request)["suppressed"]
        )
        if suppressed:
            stats = suppress_statistics(stats)
        else:
            stats["suppressed"] = False
        fmt = getattr(request.accepted_renderer, "format", "json")
        if fmt in STATISTICS_WRITERS:
            audit_record(
                actor=request.user,
                action="reports.statistics.exported",
                obj=scope.area,
                detail={**period.as_params(), "format": fmt, "suppressed": suppressed},
            )
            response = HttpResponse(STATISTICS_WRITERS[fmt](stats), content_type=CONTENT_TYPES[fmt])
            name = statistics_filename(stats, fmt)
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
        audit_record(
            actor=request.user,
            action="reports.statistics.viewed",
            obj=scope.area,
            detail={**period.as_params(), "suppressed": suppressed, "via": "api"},
        )
        return Response(stats)


@extend_schema(
    summary="Start a compliance report export (csv, xlsx or pdf)",
    description=(
        "For borough leads: their local authority's compliance report for the period, made "
        "in the background. Answers 202 with the job's URL (also in `Location`); follow it "
        "with `GET /api/v1/jobs/{id}/` and download the file from its `result_url`."
    ),
    tags=["reports"],
    request=ExportRequestSerializer,
    responses={202: JobAcceptedSerializer},
    examples=[
        OpenApiExample(
            "Last financial year as a spreadsheet",
            request_only=True,
            value={"format": "xlsx", "from": "2025-04-01", "to": "2026-03-31"},
        )
    ],
)
class ExportView(IdempotentPost, APIView):
    starts_job = True

    def post(self, request: Request) -> Response:
        local_authority = compliance_local_authority_for(request.user)
        body = ExportRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        fmt = body.validated_data["format"]
        start, end = (body.validated_data.get(key) for key in ("from", "to"))
        period = statistics_period_get(
            request.user,
            start=start.isoformat() if start else None,
            end=end.isoformat() if end else None,
        )
        job = export_start(
            actor=signed_in(request), local_authority=local_authority, period=period, fmt=fmt
        )
        return job_accepted(request, job.pk)
