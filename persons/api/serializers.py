"""Bodies of the person index's API (issue 18)."""

from __future__ import annotations

from rest_framework import serializers

from persons import matching
from persons.models import IdentifierKind
from referrals.api.serializers import Text


class PersonNameSerializer(serializers.Serializer):
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    is_alias = serializers.BooleanField(help_text="Another name the person is known by.")
    date_of_birth = serializers.DateField(allow_null=True)


class PersonAddressSerializer(serializers.Serializer):
    address = serializers.CharField()
    postcode = serializers.CharField()
    lived_from = serializers.DateField(allow_null=True)
    lived_to = serializers.DateField(allow_null=True)


class PersonIdentifierSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField(help_text="`nhs_number` or `upn`.")
    value = serializers.CharField(help_text="Without spaces, upper case.")


class PersonIdentifierInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=IdentifierKind.choices,
        help_text="`nhs_number` (10 digits, the last a modulus-11 check digit) or `upn` (a "
        "unique pupil number: a check letter then 12 characters).",
        error_messages={
            "invalid_choice": "Give the kind of number: nhs_number or upn",
            "required": "Give the kind of number: nhs_number or upn",
        },
    )
    value = Text(max_length=20, required=True, allow_blank=False, label_text="The number")


class PersonCaseSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="referral.pk")
    reference = serializers.CharField(source="referral.reference")
    submitted_at = serializers.DateTimeField(source="referral.submitted_at", allow_null=True)
    local_authority = serializers.CharField(source="referral.local_authority.name")
    stage = serializers.CharField(help_text="The stage as the caller may see it.")
    outcome = serializers.CharField(help_text="How it closed, for those who see its stage.")


class IndexedPersonSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="person.pk")
    names = PersonNameSerializer(many=True)
    addresses = PersonAddressSerializer(many=True)
    identifiers = PersonIdentifierSerializer(many=True)
    referrals = PersonCaseSerializer(many=True, source="cases")


class PersonMatchSerializer(serializers.Serializer):
    referral = serializers.UUIDField(source="referral.pk")
    reference = serializers.CharField(source="referral.reference")
    name = serializers.CharField(source="referral.subject.full_name")
    submitted_at = serializers.DateTimeField(source="referral.submitted_at", allow_null=True)
    stage = serializers.CharField()
    person = serializers.UUIDField(source="person_id")
    score = serializers.IntegerField(help_text="How alike, out of 100.")
    reasons = serializers.SerializerMethodField()
    rejected = serializers.BooleanField(help_text="Marked as not the same person.")

    def get_reasons(self, match) -> list[dict]:
        return [{"code": code, "label": str(matching.REASONS[code])} for code in match.reasons]


class PersonLinkInputSerializer(serializers.Serializer):
    person = serializers.UUIDField(help_text="The `person` of one of the case's matches.")
    reason = Text(max_length=2000, required=True, allow_blank=False, label_text="The reason")


class PersonUnlinkInputSerializer(serializers.Serializer):
    reason = Text(max_length=2000, required=True, allow_blank=False, label_text="The reason")


class TransferInputSerializer(serializers.Serializer):
    to_local_authority = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text="The local authority the person moved to (`GET /api/v1/local-authorities/`).",
    )
    to_police_force = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text="Its police force, if given: it must be that local authority's.",
    )
    reason = Text(max_length=2000, label_text="The reason")


class TransferDeclineInputSerializer(serializers.Serializer):
    reason = Text(max_length=2000, label_text="The reason")


class TransferSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    referral = serializers.UUIDField(source="referral_id")
    status = serializers.CharField(help_text="`pending`, `accepted` or `declined`.")
    from_local_authority = serializers.UUIDField(source="from_local_authority_id")
    from_police_force = serializers.UUIDField(source="from_police_force_id")
    to_local_authority = serializers.UUIDField(source="to_local_authority_id")
    to_police_force = serializers.UUIDField(source="to_police_force_id")
    reason = serializers.CharField()
    requested_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)
    decline_reason = serializers.CharField()
