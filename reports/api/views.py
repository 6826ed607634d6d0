"""The reports API: thin views over reports.selectors, reports.suppression and services."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from prevent_cms.audit import audit_record

from ..exports import WRITERS
from ..periods import PeriodError, period_from_params
from ..selectors import (
    compliance_local_authority_for,
    statistics_for,
    statistics_local_authority_get,
)
from ..services import export_start
from ..suppression import suppress_statistics


def _truthy(value: str | None) -> bool:
    return (value or "").lower() in {"1", "true", "yes"}


@extend_schema(
    summary="Aggregated statistics for a period and a local authority",
    tags=["reports"],
    parameters=[
        OpenApiParameter("from", str, description="Start date (YYYY-MM-DD), inclusive"),
        OpenApiParameter("to", str, description="End date (YYYY-MM-DD), inclusive"),
        OpenApiParameter("local_authority", str, description="Local authority id"),
        OpenApiParameter("suppressed", bool, description="Apply small-number suppression"),
    ],
    responses={200: dict},
)
class StatisticsView(APIView):
    """Counts only: never a row about a person. 404 for a local authority out of scope."""

    def get(self, request: Request) -> Response:
        local_authority = statistics_local_authority_get(
            request.user, request.query_params.get("local_authority")
        )
        try:
            period = period_from_params(
                request.query_params.get("from"), request.query_params.get("to")
            )
        except PeriodError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        stats = statistics_for(local_authority=local_authority, period=period)
        suppressed = _truthy(request.query_params.get("suppressed"))
        if suppressed:
            stats = suppress_statistics(stats)
        else:
            stats["suppressed"] = False
        audit_record(
            actor=request.user,
            action="reports.statistics.viewed",
            obj=local_authority,
            detail={**period.as_params(), "suppressed": suppressed, "via": "api"},
        )
        return Response(stats)


def job_response(request: Request, job) -> Response:
    url = request.build_absolute_uri(reverse("api:job-detail", args=[job.pk]))
    return Response(
        {"id": str(job.pk), "url": url}, status=status.HTTP_202_ACCEPTED, headers={"Location": url}
    )


@extend_schema(
    summary="Start a compliance report export (csv, xlsx or pdf)",
    tags=["reports"],
    request=dict,
    responses={202: dict},
)
class ExportView(APIView):
    def post(self, request: Request) -> Response:
        local_authority = compliance_local_authority_for(request.user)
        fmt = str(request.data.get("format", "")).lower()
        if fmt not in WRITERS:
            return Response(
                {"detail": "Choose a format: csv, xlsx or pdf."},
                status=status.HTTP_400_BAD_REQUEST,
            )
        try:
            period = period_from_params(request.data.get("from"), request.data.get("to"))
        except PeriodError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        job = export_start(
            user=request.user, local_authority=local_authority, period=period, fmt=fmt
        )
        return job_response(request, job)
