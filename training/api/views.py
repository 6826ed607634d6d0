"""Training API: thin views over the same selectors and services as the pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from accounts.models import Agency
from prevent_cms.api.responses import JobAcceptedSerializer, job_accepted

from ..dates import Status
from ..imports.jobs import import_check_start, import_run_start
from ..imports.reader import FileRejected
from ..imports.services import import_batch_confirm, import_batch_create
from ..models import ImportRow
from ..permissions import can_record_training
from ..selectors import (
    courses_visible_to,
    coverage_for,
    import_batches_visible_to,
    records_filtered,
    records_visible_to,
)
from ..services import PersonDetails, record_create
from .serializers import (
    ComplianceSerializer,
    CourseSerializer,
    ImportBatchSerializer,
    ImportRowSerializer,
    ImportUploadSerializer,
    RecordCreatedSerializer,
    RecordFilterSerializer,
    RecordInputSerializer,
    RecordSerializer,
)


@extend_schema(summary="Training courses", tags=["training"])
class CourseList(ListAPIView):
    serializer_class = CourseSerializer

    def get_queryset(self):
        return courses_visible_to(self.request.user)


class RecordListCreate(ListAPIView):
    """Staff training records the caller may see; agency leads add their own agency's."""

    serializer_class = RecordSerializer

    def get_queryset(self):
        filters = RecordFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        data = {key: str(value) for key, value in filters.validated_data.items()}
        return records_filtered(records_visible_to(self.request.user), **data).order_by(
            "staff__name", "-completed_on", "pk"
        )

    @extend_schema(
        summary="Training records visible to the caller",
        parameters=[
            OpenApiParameter("agency", str, description="Agency id"),
            OpenApiParameter("course", str, description="Course code"),
            OpenApiParameter("status", str, enum=Status.values),
            OpenApiParameter("q", str, description="Part of a name or email address"),
        ],
        tags=["training"],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Record a completion (agency leads, for their own agency)",
        request=RecordInputSerializer,
        responses={201: RecordCreatedSerializer},
        tags=["training"],
    )
    def post(self, request, *args, **kwargs):
        if not can_record_training(request.user):
            raise PermissionDenied
        serializer = RecordInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        result = record_create(
            actor=request.user,
            agency=request.user.agency,
            person=PersonDetails(
                name=data["person_name"],
                email=data["email"],
                department=data.get("department", ""),
                role=data["role"],
                frontline=data["frontline"],
                contractor=data["contractor"],
                elected_member=data["elected_member"],
            ),
            course=data["course"],
            completed_on=data["completed_on"],
            delivery_mode=data["delivery_mode"],
        )
        record = records_visible_to(request.user).get(pk=result.record.pk)
        record.warnings = result.warnings
        return Response(RecordCreatedSerializer(record).data, status=status.HTTP_201_CREATED)


@extend_schema(summary="Training coverage per agency of the caller's scope", tags=["training"])
class ComplianceList(ListAPIView):
    serializer_class = ComplianceSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Agency.objects.none()
        return coverage_for(self.request.user).by_agency


class ImportCreate(GenericAPIView):
    serializer_class = ImportUploadSerializer
    parser_classes = [MultiPartParser]  # a file: multipart only

    @extend_schema(
        summary="Upload a CSV or XLSX of completions; checking it runs as a job",
        responses={202: JobAcceptedSerializer},
        tags=["training"],
    )
    def post(self, request):
        if not can_record_training(request.user):
            raise PermissionDenied
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            batch, _sheet = import_batch_create(
                actor=request.user, upload=serializer.validated_data["file"]
            )
        except FileRejected as error:
            raise ApiValidationError({"file": [str(error)]}) from error
        batch = import_check_start(owner=request.user, batch=batch, background=True)
        return job_accepted(request, batch.job_id)


class ImportDetail(GenericAPIView):
    serializer_class = ImportBatchSerializer

    def get_object(self):
        return get_object_or_404(import_batches_visible_to(self.request.user), pk=self.kwargs["pk"])

    @extend_schema(summary="An import's state and counts", tags=["training"])
    def get(self, request, pk):
        return Response(self.get_serializer(self.get_object()).data)


class ImportRows(ListAPIView):
    serializer_class = ImportRowSerializer

    @extend_schema(summary="The row-by-row check of an import", tags=["training"])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return ImportRow.objects.none()
        batch = get_object_or_404(
            import_batches_visible_to(self.request.user), pk=self.kwargs["pk"]
        )
        return batch.rows.order_by("number")


class ImportConfirm(GenericAPIView):
    serializer_class = JobAcceptedSerializer

    @extend_schema(
        summary="Import the accepted rows of a checked file (all or nothing), as a job",
        request=None,
        responses={202: JobAcceptedSerializer, 400: OpenApiResponse(description="Not ready")},
        tags=["training"],
    )
    def post(self, request, pk):
        batch = get_object_or_404(import_batches_visible_to(request.user), pk=pk)
        batch = import_batch_confirm(actor=request.user, batch=batch)
        batch = import_run_start(owner=request.user, batch=batch, background=True)
        return job_accepted(request, batch.job_id)
