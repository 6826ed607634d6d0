"""Case notes and attachments through the API: the case page's notes and files.

The same rules as the page (``referrals.views.case``): the case is found in the caller's
scope or answers 404; listing and adding need full access to the case (its Prevent officer
or Channel chair; 403 otherwise), and the services decide who may add (``may_add_note``,
``may_add_attachment``). Every list is an audited read of the case. An attachment is checked
by its content, not its name (``services.sniff_upload``), and downloaded under a safe name
with the page's read-time check: full access, or the person who uploaded it.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import exceptions, generics, serializers
from rest_framework.parsers import MultiPartParser

from accounts.authentication import signed_in
from prevent_cms.api.fields import StrictCharField
from prevent_cms.api.idempotency import IdempotentPost
from prevent_cms.api.responses import created

from .. import services
from ..choices import NoteKind
from ..models import Attachment, CaseNote
from ..selectors import Access, referral_access
from ..views.common import attachment_file_response
from .views import CaseView


class NoteSerializer(serializers.ModelSerializer):
    author = serializers.UUIDField(source="author_id", read_only=True)
    author_name = StrictCharField(source="author.display_name", read_only=True)

    class Meta:
        model = CaseNote
        fields = ["id", "kind", "text", "author", "author_name", "created_at"]


class NoteInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=NoteKind.choices,
        help_text="Whether the note records a fact or an opinion.",
        error_messages={
            "required": "Say whether the note is fact or opinion",
            "invalid_choice": "Say whether the note is fact or opinion",
        },
    )
    text = StrictCharField(
        max_length=5000,
        error_messages={
            "required": "Enter the note",
            "blank": "Enter the note",
            "max_length": "The note must be 5000 characters or fewer",
        },
    )

    def validate_text(self, value: str) -> str:
        if "\x00" in value:
            raise serializers.ValidationError("Remove the hidden control characters from the note")
        return value


class AttachmentSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.UUIDField(source="uploaded_by_id", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = [
            "id",
            "description",
            "content_type",
            "size",
            "uploaded_by",
            "created_at",
            "download_url",
        ]

    def get_download_url(self, attachment: Attachment) -> str:
        url = reverse("api:referral-attachment", args=[attachment.referral_id, attachment.pk])
        return self.context["request"].build_absolute_uri(url)


class AttachmentInputSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="PDF, image, Office document or text file, smaller than 10 MB. Its type is "
        "read from its content, not its name.",
        error_messages={"required": "Select a file", "empty": "The selected file is empty"},
    )
    description = StrictCharField(
        max_length=200,
        required=False,
        allow_blank=True,
        error_messages={"max_length": "The description must be 200 characters or fewer"},
    )


@extend_schema_view(
    get=extend_schema(
        summary="The case's notes, newest first",
        description="For the case's Prevent officer and Channel chair (full access), as on the "
        "case page. Every read is recorded in the case's access log.",
        responses={200: NoteSerializer(many=True)},
        examples=[
            OpenApiExample(
                "One note",
                response_only=True,
                value={
                    "id": "0b6c1e9a-8f53-4a43-9d7e-2f1c5b0a9e11",
                    "kind": "fact",
                    "text": "School confirmed attendance has dropped.",
                    "author": "5a0f1a7e-3a53-4c1e-9d0e-0f6a2b7c9d11",
                    "author_name": "Sam Officer",
                    "created_at": "2026-12-01T10:15:00Z",
                },
            )
        ],
        tags=["referrals"],
    ),
    post=extend_schema(
        summary="Add a note to the case",
        description="The case's Prevent officer or Channel chair, once it has been submitted. "
        "Say whether the note is `fact` or `opinion`. Recorded in the audit trail.",
        request=NoteInputSerializer,
        responses={201: NoteSerializer},
        examples=[
            OpenApiExample(
                "A fact",
                request_only=True,
                value={"kind": "fact", "text": "School confirmed attendance has dropped."},
            ),
        ],
        tags=["referrals"],
    ),
)
class CaseNotes(IdempotentPost, CaseView, generics.ListAPIView):
    serializer_class = NoteSerializer
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return CaseNote.objects.none()
        referral = self.get_full_case()
        services.referral_record_view(
            actor=signed_in(self.request), referral=referral, via="api_notes"
        )
        return referral.notes.select_related("author").order_by("-created_at", "-pk")

    def post(self, request, pk):
        referral = self.get_full_case()
        data = NoteInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        note = services.note_add(
            referral_id=referral.pk,
            actor=request.user,
            text=data.validated_data["text"],
            kind=data.validated_data["kind"],
        )
        return created(request, NoteSerializer(note).data, "referral-note", referral.pk, note.pk)


@extend_schema_view(
    get=extend_schema(
        summary="The files attached to the case, newest first",
        description="For the case's Prevent officer and Channel chair (full access), as on the "
        "case page; the uploaded file's own name is never shown. Every read is recorded in the "
        "case's access log.",
        responses={200: AttachmentSerializer(many=True)},
        examples=[
            OpenApiExample(
                "One file",
                response_only=True,
                value={
                    "id": "3c2b1a09-8f7e-4d6c-b5a4-93827160f5e4",
                    "description": "Attendance report, autumn term",
                    "content_type": "application/pdf",
                    "size": 48213,
                    "uploaded_by": "5a0f1a7e-3a53-4c1e-9d0e-0f6a2b7c9d11",
                    "created_at": "2026-12-01T10:20:00Z",
                    "download_url": "https://prevent.example.gov.uk/api/v1/referrals/"
                    "7b1e2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d/attachments/"
                    "3c2b1a09-8f7e-4d6c-b5a4-93827160f5e4/",
                },
            )
        ],
        tags=["referrals"],
    ),
    post=extend_schema(
        summary="Attach a file to the case (multipart)",
        description="`multipart/form-data` with `file` and an optional `description`. The same "
        "checks as the case page: smaller than 10 MB, not empty, and a PDF, image, Office "
        "document or text file judged by its content. Recorded in the audit trail.",
        request={"multipart/form-data": AttachmentInputSerializer},
        responses={201: AttachmentSerializer},
        examples=[
            OpenApiExample(
                "A school report",
                request_only=True,
                value={"file": "(binary)", "description": "Attendance report, autumn term"},
            ),
        ],
        tags=["referrals"],
    ),
)
class CaseAttachments(IdempotentPost, CaseView, generics.ListAPIView):
    serializer_class = AttachmentSerializer
    filter_backends: list = []
    parser_classes = [MultiPartParser]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Attachment.objects.none()
        referral = self.get_full_case()
        services.referral_record_view(
            actor=signed_in(self.request), referral=referral, via="api_attachments"
        )
        return referral.attachments.order_by("-created_at", "-pk")

    def post(self, request, pk):
        referral = self.get_full_case()  # before the body is read: scope, then the file
        data = AttachmentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        attachment = services.attachment_add(
            referral_id=referral.pk,
            actor=request.user,
            upload=data.validated_data["file"],
            description=data.validated_data.get("description", ""),
        )
        body = AttachmentSerializer(attachment, context={"request": request}).data
        return created(request, body, "referral-attachment", referral.pk, attachment.pk)


@extend_schema(
    summary="Download one attached file",
    description="Authorised when read, as on the case page: the case's Prevent officer or "
    "Channel chair, or the person who uploaded it. Sent as a download named after the case "
    "reference and the file's type (never the uploaded name), with `nosniff`. Every download "
    "is recorded in the case's access log.",
    responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    tags=["referrals"],
)
class CaseAttachmentDownload(CaseView):
    def get(self, request, pk, attachment_id):
        referral = self.get_case()
        attachment = get_object_or_404(referral.attachments, pk=attachment_id)
        if (
            referral_access(request.user, referral) < Access.FULL
            and attachment.uploaded_by_id != request.user.pk
        ):
            raise exceptions.PermissionDenied("You do not have permission to do that.")
        services.referral_record_view(actor=request.user, referral=referral, via="api_attachment")
        response = attachment_file_response(attachment)
        # Bytes for a program, as the schema says; the name keeps the sniffed extension.
        response["Content-Type"] = "application/octet-stream"
        return response
