"""The national referral form read into a draft through the API (issue 15).

A Prevent officer or Prevent lead sends the form as the practitioner e-mailed it (.docx, or
a text PDF of it); the answer names the draft made, the draft fields read from the form and
those left for the officer. Who may, what is read and what is refused are the service's
(``referrals.national_form.services.referral_import_national_form``).
"""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser

from accounts.authentication import signed_in
from prevent_cms.api.idempotency import IdempotentPost
from prevent_cms.api.responses import created
from prevent_cms.errors import ActionForbidden

from ..choices import ReferrerSector
from ..national_form.services import referral_import_national_form
from ..permissions import may_record_on_behalf


class ImportInputSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="The national Prevent referral form as received: a Word document (.docx) or "
        "a PDF saved from it, smaller than 10 MB. Judged by its content, not its name; never "
        "opened if it holds macros, scripts or embedded files.",
        error_messages={"required": "Select a file", "empty": "The selected file is empty"},
    )
    referrer_sector = serializers.ChoiceField(
        choices=ReferrerSector.choices,
        required=False,
        help_text="The sector of the practitioner who sent the form, if known (the form does "
        "not say it). Optional here; the draft cannot be submitted without it: give it later "
        "with `PATCH /api/v1/referrals/{id}/referrer-contact/`.",
        error_messages={
            "required": "Select the referrer’s sector",
            "invalid_choice": "Select the referrer’s sector",
        },
    )
    received_at = serializers.DateTimeField(
        required=False,
        help_text="When the form reached the Prevent team (now or earlier). Defaults to now.",
        error_messages={"invalid": "Enter the date and time received, like 2026-12-07T09:30Z"},
    )


class ImportSerializer(serializers.Serializer):
    id = serializers.UUIDField(help_text="The draft referral's id.")
    url = serializers.URLField(help_text="The draft referral (`GET /api/v1/referrals/{id}/`).")
    read_fields = serializers.ListField(
        child=serializers.CharField(),
        help_text="Draft fields filled from the form, in the form's order: each must be "
        "checked before the draft is submitted.",
    )
    unread_fields = serializers.ListField(
        child=serializers.CharField(),
        help_text="Draft fields the form left empty, or whose answer was not understood.",
    )
    notes = serializers.DictField(
        child=serializers.CharField(),
        help_text="Why an answer that was on the form was left unread, by field.",
    )


@extend_schema(
    summary="Read a national referral form into a draft (multipart)",
    description="For Prevent officers and Prevent leads. `multipart/form-data` with `file` "
    "(the form as the practitioner sent it), and optionally `referrer_sector` and "
    "`received_at`. "
    "Answers 201 with the draft (recorded as received by `national_form`, the sender as its "
    "contact, the file as its first attachment) and `Location` naming it. Every answer that "
    "could be read fills the draft; anything empty, still the template's prompt, not "
    "understood or too long is left unread (never guessed). A file that is not the national "
    "form, has macros, scripts or embedded files, is encrypted or would unpack to far more "
    "than a form holds answers 400 with a message and saves nothing; over 10 MB, 413.",
    request={"multipart/form-data": ImportInputSerializer},
    responses={201: ImportSerializer},
    examples=[
        OpenApiExample(
            "A school's form",
            request_only=True,
            value={"file": "(binary)", "referrer_sector": "education"},
        ),
        OpenApiExample(
            "The draft made",
            response_only=True,
            status_codes=["201"],
            value={
                "id": "4f6d2a8e-3b1c-4d5e-9f70-1a2b3c4d5e6f",
                "url": "https://prevent.example.gov.uk/api/v1/referrals/"
                "4f6d2a8e-3b1c-4d5e-9f70-1a2b3c4d5e6f/",
                "read_fields": ["first_name", "last_name", "date_of_birth", "concern_summary"],
                "unread_fields": ["postcode", "immediate_risk"],
                "notes": {"postcode": "On the form, but not understood: see the attached form"},
            },
        ),
    ],
    tags=["referrals"],
)
class ReferralImport(IdempotentPost):
    parser_classes = [MultiPartParser]

    def post(self, request):
        actor = signed_in(request)
        if not may_record_on_behalf(actor):  # who may, before the file is read
            raise ActionForbidden("Only a Prevent officer or Prevent lead may import a form.")
        data = ImportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        imported = referral_import_national_form(
            actor=actor,
            upload=data.validated_data["file"],
            referrer_sector=data.validated_data.get("referrer_sector", ""),
            received_at=data.validated_data.get("received_at"),
        )
        referral_id = imported.referral_id
        url = request.build_absolute_uri(reverse("api:referral-detail", args=[referral_id]))
        body = ImportSerializer(
            {
                "id": referral_id,
                "url": url,
                "read_fields": imported.read_fields,
                "unread_fields": imported.unread_fields,
                "notes": imported.notes,
            }
        ).data
        return created(request, body, "referral-detail", referral_id)
