"""Input and output shapes of the Channel API (DESIGN.md §5)."""

from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from prevent_cms.api.fields import HoursField, StrictBooleanField, StrictCharField
from referrals.choices import SignpostService

from .. import choices, models
from ..reference_data import VAF_CODE, VAF_FACTOR_CODES, VAF_RATINGS
from ..selectors import assessment_changes


def _no_nul(value: str) -> None:
    if "\x00" in (value or ""):
        raise serializers.ValidationError("Remove the invisible NUL character from this text.")


_no_nul.forbids_nul = True  # type: ignore[attr-defined]  # read by prevent_cms.openapi


class Text(StrictCharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("trim_whitespace", True)
        super().__init__(validators=[_no_nul], **kwargs)


class AgendaItemSerializer(serializers.ModelSerializer):
    referral = serializers.UUIDField(source="referral_id")
    reference = serializers.CharField(source="referral.reference")

    class Meta:
        model = models.AgendaItem
        fields = ["id", "referral", "reference", "kind", "discussion", "decision", "rationale"]


class PanelSerializer(serializers.ModelSerializer):
    members = serializers.SerializerMethodField()
    attended = serializers.SerializerMethodField()
    agenda = serializers.SerializerMethodField()
    held = serializers.BooleanField(source="is_held")
    signed_off = serializers.BooleanField(source="is_locked")

    class Meta:
        model = models.Panel
        fields = [
            "id",
            "date",
            "location",
            "local_authority",
            "chair",
            "members",
            "attended",
            "held",
            "held_at",
            "quorum_met",
            "signed_off",
            "signed_off_at",
            "minutes",
            "agenda",
        ]

    def get_members(self, panel) -> list[str]:
        return [str(pk) for pk in panel.members.values_list("pk", flat=True)]

    def get_attended(self, panel) -> list[str]:
        return [str(pk) for pk in panel.attended.values_list("pk", flat=True)]

    def get_agenda(self, panel) -> list[dict]:
        items = self.context["agenda_items"](panel)
        return list(AgendaItemSerializer(items, many=True).data)


class PanelCreateSerializer(serializers.Serializer):
    date = serializers.DateField(help_text="Today or later.")
    location = Text(max_length=300, required=True, allow_blank=False)
    members = serializers.ListField(
        child=serializers.UUIDField(),
        required=False,
        default=list,
        max_length=50,
        help_text="User ids of your local authority's panel; the chair is always a member.",
    )


class AgendaAddSerializer(serializers.Serializer):
    referral = serializers.UUIDField(help_text="A Channel case of your local authority.")
    kind = serializers.ChoiceField(
        choices=choices.AgendaKind.choices,
        required=False,
        help_text="What the panel is to consider; by default what the case's stage needs.",
    )


class HoldSerializer(serializers.Serializer):
    attended = serializers.ListField(
        child=serializers.UUIDField(),
        min_length=1,
        max_length=50,
        help_text="User ids of the members who attended (quorate: the chair and a police "
        "officer among them).",
    )
    minutes = Text(max_length=20000)
    sign_off = StrictBooleanField(required=False, default=False)


class DiscussionSerializer(serializers.Serializer):
    discussion = Text(max_length=10000, default="")
    decision = Text(max_length=200)
    rationale = Text(max_length=5000)


class PanelActionSerializer(serializers.ModelSerializer):
    owner = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text="A user id of your local authority; or give `owner_name` instead.",
    )
    referral = serializers.UUIDField(
        required=False, allow_null=True, help_text="A case on this panel's agenda."
    )
    description = Text(max_length=500, required=True, allow_blank=False)
    owner_name = Text(max_length=200)

    class Meta:
        model = models.PanelAction
        fields = ["id", "description", "owner", "owner_name", "due_date", "referral", "done"]
        read_only_fields = ["id", "done"]

    def to_representation(self, action):
        return {
            "id": str(action.pk),
            "description": action.description,
            "owner": str(action.owner_id) if action.owner_id else None,
            "owner_name": action.owner_name,
            "due_date": action.due_date,
            "referral": str(action.referral_id) if action.referral_id else None,
            "done": action.done,
        }


class FactorSerializer(serializers.Serializer):
    code = serializers.CharField()
    dimension = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a factor's label, not Field.label


class FrameworkSerializer(serializers.ModelSerializer):
    factors = FactorSerializer(many=True)

    class Meta:
        model = models.AssessmentFramework
        fields = ["code", "title", "factors", "ratings"]


@extend_schema_field(
    {
        "type": "object",
        "description": "A rating for every one of the framework's factors.",
        "properties": {code: {"type": "string", "enum": VAF_RATINGS} for code in VAF_FACTOR_CODES},
        "required": VAF_FACTOR_CODES,
        "additionalProperties": False,
    }
)
class RatingsField(serializers.DictField):
    """Every factor rated: the service names the factors missing, unknown or wrongly rated."""

    def __init__(self, **kwargs):
        super().__init__(child=serializers.CharField(allow_blank=True), **kwargs)


class AssessmentInSerializer(serializers.Serializer):
    framework = serializers.ChoiceField(choices=[VAF_CODE], required=False, default=VAF_CODE)
    ratings = RatingsField()
    evidence = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        help_text="Optional evidence per factor code.",
    )
    summary = Text(max_length=5000, required=True, allow_blank=False)
    management_plan = Text(max_length=5000, required=True, allow_blank=False)
    date = serializers.DateField(
        required=False, allow_null=True, help_text="Within the case's dates; today by default."
    )


@extend_schema_serializer(component_name="VulnerabilityAssessment")
class AssessmentSerializer(serializers.ModelSerializer):
    framework = serializers.CharField(source="framework_id")
    changes = serializers.SerializerMethodField()

    class Meta:
        model = models.VulnerabilityAssessment
        fields = [
            "id",
            "framework",
            "date",
            "ratings",
            "evidence",
            "summary",
            "management_plan",
            "changes",
            "created_at",
        ]

    def get_changes(self, assessment) -> list[dict]:
        return [row for row in assessment_changes(assessment) if row["changed"]]


class ConsentInSerializer(serializers.Serializer):
    given_by = serializers.ChoiceField(
        choices=choices.GivenBy.choices,
        help_text="`individual` if 18 or over on the consent date, else `parent_or_guardian` "
        "(then `given_by_name` and `relationship` are required).",
    )
    given_by_name = Text(max_length=200)
    relationship = Text(max_length=100)
    date = serializers.DateField(help_text="Within the case's dates, not in the future.")
    decision = serializers.ChoiceField(choices=choices.ConsentDecision.choices)
    child_view = Text(max_length=5000)
    how_sought = Text(max_length=2000)


class ConsentSerializer(serializers.ModelSerializer):
    class Meta:
        model = models.Consent
        fields = [
            "id",
            "given_by",
            "given_by_name",
            "relationship",
            "date",
            "decision",
            "child_view",
            "how_sought",
            "created_at",
        ]


class InterventionInSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=choices.InterventionType.choices)
    provider = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text="An intervention provider of your local authority; or give `provider_name`.",
    )
    provider_name = Text(max_length=200)
    start_date = serializers.DateField()
    hours = HoursField(required=False, default=0)
    status = serializers.ChoiceField(
        choices=choices.InterventionStatus.choices,
        required=False,
        default=choices.InterventionStatus.PLANNED,
    )
    contact_route = Text(
        max_length=500,
        help_text="How the provider may contact the person: only what the chair chooses to "
        "share. Part of the provider's brief.",
    )
    goals = Text(max_length=2000, help_text="The support plan's goals this provider works towards.")
    sessions_planned = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=999
    )


class InterventionSerializer(serializers.ModelSerializer):
    referral = serializers.UUIDField(source="referral_id")
    reference = serializers.CharField(source="referral.reference")
    provider = serializers.UUIDField(source="provider_id", allow_null=True)

    class Meta:
        model = models.Intervention
        fields = [
            "id",
            "referral",
            "reference",
            "type",
            "provider",
            "provider_name",
            "start_date",
            "hours",
            "status",
            "contact_route",
            "goals",
            "sessions_planned",
        ]


class SessionInSerializer(serializers.Serializer):
    date = serializers.DateField(help_text="Within the case's dates, not in the future.")
    hours = HoursField(required=False, default=1)
    notes = Text(max_length=5000)


class SessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = models.InterventionSession
        fields = ["id", "date", "hours", "notes", "created_at"]


class ReviewInSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=choices.ReviewKind.choices)
    date = serializers.DateField(help_text="Within the case's dates, not in the future.")
    risk_change = serializers.ChoiceField(choices=choices.RiskChange.choices)
    recommend_exit = StrictBooleanField(required=False, default=False)
    notes = Text(max_length=5000)
    early_reason = serializers.ChoiceField(
        choices=choices.EarlyReviewReason.choices,
        required=False,
        help_text="Only for a post-exit review dated before its window opens (5½ or 11½ "
        "months after exit): why it is recorded early. `other` needs `notes`.",
    )


class ReviewSerializer(serializers.ModelSerializer):
    class Meta:
        model = models.Review
        fields = [
            "id",
            "kind",
            "date",
            "risk_change",
            "recommend_exit",
            "notes",
            "early_reason",
            "created_at",
        ]


class AgencyUpdateInSerializer(serializers.Serializer):
    referral = serializers.UUIDField(help_text="A case on this panel's agenda.")
    text = Text(max_length=5000, required=True, allow_blank=False)


class DissentSerializer(serializers.Serializer):
    agency = Text(max_length=200, required=True, allow_blank=False)
    reason = Text(max_length=500, required=True, allow_blank=False)


class PanelDecisionInSerializer(serializers.Serializer):
    """The panel's decision on one agenda item; the transition's own fields ride along."""

    decision = serializers.ChoiceField(
        choices=choices.PanelDecision.choices,
        help_text="`adopt` (adopt), `not_adopted` (close, reason not_adopted: give "
        "`signposted_to`), `exit` (exit_channel), `escalate_to_police` (escalate_to_police); "
        "`continue_support` and `defer` run no transition.",
    )
    reached_by = serializers.ChoiceField(choices=choices.ReachedBy.choices)
    dissent = serializers.ListField(
        child=DissentSerializer(),
        required=False,
        default=list,
        max_length=20,
        help_text="Agencies that disagreed, each with a short reason (not with `consensus`).",
    )
    rationale = Text(max_length=5000, help_text="Why; for `defer`, why the panel deferred.")
    signposted_to = serializers.ChoiceField(
        choices=SignpostService.choices,
        required=False,
        help_text="For `not_adopted`: the service the person was signposted to.",
    )


class PanelDecisionSerializer(serializers.ModelSerializer):
    """A recorded decision, with the case's state after it."""

    item = serializers.UUIDField(source="item_id")
    referral = serializers.UUIDField(source="item.referral_id")
    state = serializers.CharField(source="item.referral.state")
    transition = serializers.SerializerMethodField()

    class Meta:
        model = models.AgendaDecision
        fields = [
            "id",
            "item",
            "referral",
            "state",
            "decision",
            "reached_by",
            "dissent",
            "rationale",
            "signposted_to",
            "transition",
            "recorded_at",
        ]

    def get_transition(self, outcome) -> str | None:
        """The lifecycle step the decision ran (its name), or null for none."""
        return outcome.transition.name if outcome.transition_id else None
