"""Retention decisions through the API: the review queue and the confirmed deletion of a
due case's personal data (the retention pages, ``referrals.views.retention``).

For those who may review retention (``retention.may_review_retention``: Prevent officers for
their force, Channel chairs for their authority's Channel cases; 403 for anyone else). A case
not due for review in the caller's scope answers 404. The queue is an audited read naming the
references it returned; a deletion is audited by ``referral_delete_personal_data``.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import exceptions, generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from prevent_cms.api.fields import StrictBooleanField, StrictCharField

from .. import services
from ..models import Referral
from ..retention import (
    may_review_retention,
    referral_delete_personal_data,
    referrals_due_for_retention_review,
    review_due_on,
)


def _require_reviewer(request) -> None:
    if not may_review_retention(request.user):
        raise exceptions.PermissionDenied(
            "Only a Prevent officer or Channel chair may review retention."
        )


class RetentionCaseSerializer(serializers.ModelSerializer):
    local_authority = serializers.UUIDField(source="local_authority_id", read_only=True)
    review_due_on = serializers.SerializerMethodField()

    class Meta:
        model = Referral
        fields = [
            "id",
            "reference",
            "local_authority",
            "closure_reason",
            "closed_at",
            "review_due_on",
        ]

    def get_review_due_on(self, referral: Referral) -> str | None:
        due = review_due_on(referral)
        return due.isoformat() if due else None


@extend_schema(
    summary="Closed cases due for a retention review, oldest first",
    description="Cases in your scope closed long enough ago that their personal data must be "
    "reviewed (`RETENTION_SHORT_YEARS` after a police-stage closure with no further action, "
    "`RETENTION_LONG_YEARS` otherwise). Each read is recorded in the audit trail with the "
    "references returned.",
    responses={200: RetentionCaseSerializer(many=True)},
    examples=[
        OpenApiExample(
            "A case due for review",
            response_only=True,
            value={
                "id": "7b1e2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
                "reference": "PRV-2019-000123",
                "local_authority": "1d2c3b4a-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
                "closure_reason": "no_further_action",
                "closed_at": "2020-03-02T09:00:00Z",
                "review_due_on": "2023-03-02",
            },
        )
    ],
    tags=["referrals"],
)
class RetentionQueue(generics.ListAPIView):
    serializer_class = RetentionCaseSerializer
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Referral.objects.none()
        _require_reviewer(self.request)
        return referrals_due_for_retention_review(self.request.user)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset()) or []
        services.referral_list_record_view(
            actor=request.user,
            references=[referral.reference for referral in page],
            via="api_retention_queue",
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class RetentionDeleteInputSerializer(serializers.Serializer):
    reason = StrictCharField(
        max_length=500,
        help_text="Why the personal data is deleted; kept in the audit trail.",
        error_messages={
            "required": "Give the reason for deleting this case’s personal data",
            "blank": "Give the reason for deleting this case’s personal data",
        },
    )
    confirmed = StrictBooleanField(
        help_text="Must be true: the deletion cannot be undone.",
        error_messages={"required": "Confirm that you want to delete the personal data"},
    )


@extend_schema(
    summary="Delete a due case's personal data (cannot be undone)",
    description="For a case in the retention queue: the person's details, free text, notes and "
    "files are deleted; the reference, dates, codes and statistics stay. `confirmed` must be "
    "true and a reason given. Answers 204; the case leaves the queue. Audited with the reason.",
    request=RetentionDeleteInputSerializer,
    responses={204: None},
    examples=[
        OpenApiExample(
            "Retention period passed",
            request_only=True,
            value={
                "reason": "Six-year retention period passed; no open matters.",
                "confirmed": True,
            },
        )
    ],
    tags=["referrals"],
)
class RetentionDelete(APIView):
    def post(self, request, pk):
        _require_reviewer(request)
        referral = referrals_due_for_retention_review(request.user).filter(pk=pk).first()
        if referral is None:
            raise exceptions.NotFound("Not found.")
        data = RetentionDeleteInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        referral_delete_personal_data(
            referral_id=referral.pk,
            actor=request.user,
            reason=data.validated_data["reason"],
            confirmed=data.validated_data["confirmed"],
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
