"""The consultations API's shapes: what a row, a record and each body look like."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Sector
from prevent_cms.api.fields import StrictCharField

from ..models import AGE_BANDS, Consultation, Outcome, ReferredTo


class ConsultationRowSerializer(serializers.ModelSerializer):
    """A row of the list: who asked, when and what came of it (never the linked case)."""

    url = serializers.SerializerMethodField()
    local_authority = serializers.UUIDField(source="local_authority_id", read_only=True)
    linked = serializers.SerializerMethodField()

    class Meta:
        model = Consultation
        fields = [
            "id",
            "url",
            "consulted_on",
            "local_authority",
            "asker_name",
            "asker_organisation",
            "asker_sector",
            "outcome",
            "referred_to",
            "linked",
        ]

    def get_url(self, consultation: Consultation) -> str:
        url = reverse("api:consultation-detail", args=[consultation.pk])
        return self.context["request"].build_absolute_uri(url)

    def get_linked(self, consultation: Consultation) -> bool:
        """Whether a referral followed and is linked (read it at the consultation's URL)."""
        return consultation.referral_id is not None


class ConsultationSerializer(ConsultationRowSerializer):
    """One consultation, with the referral it is linked to when one followed."""

    police_force = serializers.UUIDField(source="police_force_id", read_only=True)
    referral = serializers.SerializerMethodField()
    referral_reference = serializers.SerializerMethodField()
    recorded_by = serializers.UUIDField(source="recorded_by_id", read_only=True)

    class Meta(ConsultationRowSerializer.Meta):
        fields = [
            *ConsultationRowSerializer.Meta.fields,
            "police_force",
            "subject_initials",
            "subject_age_band",
            "summary",
            "advice",
            "referral",
            "referral_reference",
            "recorded_by",
            "version",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field({"type": "string", "format": "uuid", "nullable": True})
    def get_referral(self, consultation: Consultation) -> str | None:
        """The linked referral's id, when the reader may see that case (else null)."""
        shown = getattr(consultation, "shown_referral", None)
        return str(shown.pk) if shown is not None else None

    def get_referral_reference(self, consultation: Consultation) -> str | None:
        shown = getattr(consultation, "shown_referral", None)
        return shown.reference if shown is not None else None


def _text(max_length: int, *, required: bool = True, blank: str = "") -> StrictCharField:
    messages: dict[str, Any] = {"max_length": f"This must be {max_length} characters or fewer"}
    if blank:
        messages.update(required=blank, blank=blank)
    return StrictCharField(
        max_length=max_length,
        required=required,
        allow_blank=not required,
        error_messages=messages,
    )


class ConsultationInputSerializer(serializers.Serializer):
    """The body of a new consultation; a PATCH takes any of the same fields (not the area)."""

    local_authority = serializers.UUIDField(
        help_text="The local authority the concern is about: one of your area's "
        "(`GET /api/v1/local-authorities/`)."
    )
    consulted_on = serializers.DateField(help_text="When the advice was asked for (not future).")
    asker_name = _text(200, blank="Enter the name of the person who asked for advice")
    asker_organisation = _text(200, required=False)
    asker_sector = serializers.ChoiceField(choices=Sector.choices)
    subject_initials = _text(3, required=False)
    subject_age_band = serializers.ChoiceField(choices=AGE_BANDS, required=False, allow_blank=True)
    summary = _text(5000, blank="Enter what they were worried about")
    advice = _text(5000, blank="Enter the advice given")
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    referred_to = serializers.ChoiceField(
        choices=ReferredTo.choices,
        required=False,
        allow_blank=True,
        help_text="Where the concern was sent: required when `outcome` is "
        "`referred_elsewhere`, ignored otherwise.",
    )


class ConsultationPatchSerializer(ConsultationInputSerializer):
    def get_fields(self):
        fields = super().get_fields()
        del fields["local_authority"]
        for field in fields.values():
            field.required = False
        return fields

    class Meta:
        ref_name = "ConsultationPatch"


class LinkInputSerializer(serializers.Serializer):
    referral = serializers.UUIDField(
        help_text="The id of a submitted referral you see in full (its officer's view)."
    )
