"""Training API: thin views over the same selectors and services as the pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from accounts.authentication import signed_in
from accounts.models import Agency
from prevent_cms.api.idempotency import IdempotentPost
from prevent_cms.api.lists import query_params
from prevent_cms.api.responses import JobAcceptedSerializer, created, job_accepted

from ..imports.jobs import import_check_start, import_run_start
from ..imports.services import import_batch_cancel, import_batch_confirm, import_batch_create
from ..models import ImportRow
from ..permissions import can_record_for, can_record_training
from ..selectors import (
    courses_visible_to,
    coverage_for,
    import_batches_visible_to,
    records_filtered,
    records_visible_to,
)
from ..services import PersonDetails, record_create, record_delete, record_update
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
    RecordUpdateSerializer,
)


@extend_schema(summary="Training courses", tags=["training"])
class CourseList(ListAPIView):
    serializer_class = CourseSerializer
    ordering_fields = ("code", "title")

    def get_queryset(self):
        return courses_visible_to(self.request.user)


class RecordListCreate(IdempotentPost, ListAPIView):
    """Staff training records the caller may see; agency leads add their own agency's."""

    serializer_class = RecordSerializer
    ordering_fields = ("completed_on", "staff__name")

    def get_queryset(self):
        filters = query_params(RecordFilterSerializer, self.request)
        data = {key: str(value) for key, value in filters.items()}
        return records_filtered(records_visible_to(self.request.user), **data).order_by(
            "staff__name", "-completed_on", "pk"
        )

    @extend_schema(
        summary="Training records visible to the caller",
        parameters=[RecordFilterSerializer],
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
        record.warnings = result.warnings  # type: ignore[attr-defined]  # RecordCreatedSerializer reads it
        data = RecordCreatedSerializer(record).data
        return created(request, data, "training-record-detail", record.pk)


class RecordDetail(GenericAPIView):
    """One training record, as the record's page: seen by whoever may list it, corrected or
    deleted only by those who keep its agency's records (``can_record_for``)."""

    serializer_class = RecordSerializer

    def get_object(self):
        record = get_object_or_404(records_visible_to(self.request.user), pk=self.kwargs["pk"])
        if self.request.method != "GET" and not can_record_for(
            signed_in(self.request), record.staff.agency
        ):
            raise PermissionDenied
        return record

    @extend_schema(
        summary="One training record",
        description="A record of an agency the caller may see (404 otherwise).",
        examples=[
            OpenApiExample(
                "Current awareness training",
                response_only=True,
                value={
                    "id": "2f1e0d9c-8b7a-4655-9443-3a2b1c0d9e8f",
                    "person_name": "Ann Able",
                    "email": "ann.able@school.example.org",
                    "agency": "1d2c3b4a-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
                    "agency_name": "Northbridge Academy",
                    "department": "Pastoral",
                    "role": "practitioner",
                    "frontline": True,
                    "contractor": False,
                    "elected_member": False,
                    "course": "awareness",
                    "course_title": "Prevent awareness",
                    "delivery_mode": "online",
                    "completed_on": "2026-09-14",
                    "expires_on": "2028-09-14",
                    "status": "current",
                    "has_certificate": False,
                },
            )
        ],
        tags=["training"],
    )
    def get(self, request, pk):
        return Response(RecordSerializer(self.get_object()).data)

    @extend_schema(
        summary="Correct a training record (agency leads, for their own agency)",
        description="Any of the fields of a new record; the others keep their values. A changed "
        "name, email or role is the person's, on all their records. Answers the record with "
        "any `warnings` (a course taken before its prerequisite). Recorded in the audit trail.",
        request=RecordUpdateSerializer,
        responses={200: RecordCreatedSerializer},
        examples=[
            OpenApiExample(
                "Wrong completion date",
                request_only=True,
                value={"completed_on": "2026-09-14", "delivery_mode": "face_to_face"},
            )
        ],
        tags=["training"],
    )
    def patch(self, request, pk):
        record = self.get_object()
        serializer = RecordUpdateSerializer(
            data=request.data, partial=True, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        staff = record.staff
        result = record_update(
            actor=request.user,
            record_id=record.pk,
            person=PersonDetails(
                name=data.get("person_name", staff.name),
                email=data.get("email", staff.email),
                department=data.get("department", staff.department),
                role=data.get("role", staff.role),
                frontline=data.get("frontline", staff.frontline),
                contractor=data.get("contractor", staff.contractor),
                elected_member=data.get("elected_member", staff.elected_member),
            ),
            course=data.get("course", record.course),
            completed_on=data.get("completed_on", record.completed_on),
            delivery_mode=data.get("delivery_mode", record.delivery_mode),
            remove_certificate=data.get("remove_certificate", False),
        )
        record = records_visible_to(request.user).get(pk=result.record.pk)
        record.warnings = result.warnings  # type: ignore[attr-defined]  # RecordCreatedSerializer reads it
        return Response(RecordCreatedSerializer(record).data)

    @extend_schema(
        summary="Delete a training record entered by mistake (agency leads)",
        description="Cannot be undone; the person goes too once they have no records left. "
        "Recorded in the audit trail.",
        request=None,
        responses={204: None},
        tags=["training"],
    )
    def delete(self, request, pk):
        record_delete(actor=request.user, record_id=(self.get_object()).pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(summary="Training coverage per agency of the caller's scope", tags=["training"])
class ComplianceList(ListAPIView):
    serializer_class = ComplianceSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Agency.objects.none()
        return coverage_for(self.request.user).by_agency


class ImportCreate(IdempotentPost, GenericAPIView):
    serializer_class = ImportUploadSerializer
    starts_job = True
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
        batch, _sheet = import_batch_create(
            actor=request.user, upload=serializer.validated_data["file"]
        )
        batch = import_check_start(actor=request.user, batch_id=batch.pk, background=True)
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


class ImportConfirm(IdempotentPost, GenericAPIView):
    serializer_class = JobAcceptedSerializer
    starts_job = True

    @extend_schema(
        summary="Import the accepted rows of a checked file (all or nothing), as a job",
        request=None,
        responses={202: JobAcceptedSerializer, 400: OpenApiResponse(description="Not ready")},
        tags=["training"],
    )
    def post(self, request, pk):
        batch = get_object_or_404(import_batches_visible_to(request.user), pk=pk)
        batch = import_batch_confirm(actor=request.user, batch_id=batch.pk)
        batch = import_run_start(actor=request.user, batch_id=batch.pk, background=True)
        return job_accepted(request, batch.job_id)


class ImportCancel(GenericAPIView):
    serializer_class = ImportBatchSerializer

    @extend_schema(
        summary="Cancel an import before it runs (the person who uploaded it)",
        description="While the file is being checked or waits for confirmation: nothing is "
        "imported, its rows and file are deleted. Answers the import, now `cancelled`; once "
        "it has started importing it can no longer be cancelled (400). Recorded in the audit "
        "trail.",
        request=None,
        responses={200: ImportBatchSerializer},
        examples=[
            OpenApiExample(
                "Cancelled",
                response_only=True,
                value={
                    "id": "6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d",
                    "state": "cancelled",
                    "file_format": "csv",
                    "total_rows": 40,
                    "create_count": 38,
                    "update_count": 0,
                    "unchanged_count": 0,
                    "reject_count": 2,
                    "error": "",
                    "job": "0f1e2d3c-4b5a-4697-8877-665544332211",
                    "created_at": "2026-12-06T09:30:00Z",
                    "finished_at": "2026-12-06T09:34:00Z",
                },
            )
        ],
        tags=["training"],
    )
    def post(self, request, pk):
        batch = get_object_or_404(import_batches_visible_to(request.user), pk=pk)
        batch = import_batch_cancel(actor=request.user, batch_id=batch.pk)
        return Response(ImportBatchSerializer(batch).data)
