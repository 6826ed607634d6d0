"""The shapes of the reports API, for the schema: the statistics answer and the export body.

The views read their parameters themselves (``reports.periods`` names each problem); these
say the same rules in the schema so that a generated client sends what the server takes.
"""

from rest_framework import serializers

from ..exports import WRITERS

PERIOD_HELP = (
    "Both `from` and `to`, or neither (the current financial year). From 2000, not in the "
    "future, at most ten years; for a borough lead at least a calendar month."
)


def _cells(help_text: str) -> serializers.DictField:
    return serializers.DictField(
        child=serializers.IntegerField(allow_null=True, min_value=0),
        help_text=help_text + " Each cell is a count, or null where it is suppressed.",
    )


class AreaSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()


class StatisticsSerializer(serializers.Serializer):
    """The Home Office table shapes (DOMAIN.md §Statistics): counts only, never a person."""

    scope = serializers.ChoiceField(choices=["local_authority", "police_force"])
    local_authority = AreaSerializer(allow_null=True)
    police_force = AreaSerializer(allow_null=True)
    period = serializers.DictField(
        child=serializers.DateField(), help_text="`from` and `to`, the period's dates."
    )
    total_referrals = serializers.IntegerField(allow_null=True, min_value=0)
    by_sector = _cells(
        "Referrals by the referrer's sector: their agency's, or the sector of a referrer "
        "recorded on someone's behalf (a member of the public counts as `other`)."
    )
    by_route = _cells(
        "Referrals by how they were received: `online`, `phone`, `email`, `national_form`, "
        "`letter`, `in_person`, `consultation`."
    )
    by_concern_type = _cells("Referrals by type of concern.")
    by_age_group = _cells("Referrals by the person's age group at referral.")
    by_gender = _cells("Referrals by gender.")
    outcomes = _cells("Referrals by outcome so far.")
    journey = _cells("Referrals, those discussed at panel and those adopted (cumulative).")
    timeliness = serializers.DictField(help_text="How long each stage took, and reviews due.")
    total_consultations = serializers.IntegerField(
        allow_null=True,
        min_value=0,
        help_text="Consultations (advice given before or instead of a referral) in the period.",
    )
    consultations_by_sector = _cells("Consultations by the sector of the person who asked.")
    consultations_by_outcome = _cells("Consultations by outcome.")
    suppressed = serializers.BooleanField(
        help_text="Small numbers are hidden (always so for a borough lead)."
    )


EXPORT_FORMATS = list(WRITERS)


class ExportRequestSerializer(serializers.Serializer):
    """The body of ``POST /api/v1/reports/exports/``."""

    format = serializers.ChoiceField(
        choices=EXPORT_FORMATS,
        error_messages={
            "invalid_choice": "Choose a format: csv, xlsx or pdf.",
            "required": "Choose a format: csv, xlsx or pdf.",
            "null": "Choose a format: csv, xlsx or pdf.",
        },
    )
    to = serializers.DateField(required=False, help_text=PERIOD_HELP)

    class Meta:
        ref_name = "Export"

    def get_fields(self):
        # ``from`` is a Python keyword, so it cannot be declared as a class attribute.
        fields = super().get_fields()
        fields["from"] = serializers.DateField(required=False, help_text=PERIOD_HELP)
        return fields
