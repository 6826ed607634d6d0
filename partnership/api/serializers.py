"""The partnership API's shapes: each record as it is read, and each body as it is sent.

Bodies take strict JSON types (``prevent_cms.api.fields``); records answer codes beside
their labels, so a program reads the code and a person the label.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework import serializers

from prevent_cms.api.fields import StrictBooleanField, StrictCharField, StrictIntegerField

from ..models import (
    Action,
    Agreement,
    AgreementKind,
    AgreementStatus,
    Board,
    BoardKind,
    BoardMember,
    Complaint,
    ComplaintChannel,
    ComplaintOutcome,
    CtlpBriefing,
    DueDiligenceCheck,
    DueDiligenceItem,
    DueDiligenceOutcome,
    FundingRoute,
    GapAnalysis,
    LawfulBasis,
    MailingContact,
    MailingSend,
    Meeting,
    Organisation,
    OrganisationType,
    Plan,
    PolicyItem,
    PolicyStatus,
    Project,
    Rag,
    Risk,
    RiskAssessment,
    RiskLevel,
    SessionType,
    Support,
    TermsOfReference,
    Workshop,
)


class _Linked(serializers.ModelSerializer):
    url_name = ""
    url = serializers.SerializerMethodField()

    def get_url(self, obj) -> str:
        return self.context["request"].build_absolute_uri(
            reverse(f"api:{self.url_name}", args=[obj.pk])
        )


class MemberSerializer(serializers.ModelSerializer):
    agency = serializers.UUIDField(source="agency_id", read_only=True, allow_null=True)
    organisation = serializers.CharField(read_only=True)

    class Meta:
        model = BoardMember
        fields = [
            "id",
            "name",
            "role_title",
            "agency",
            "organisation",
            "is_chair",
            "joined_on",
            "left_on",
        ]


class TermsSerializer(serializers.ModelSerializer):
    class Meta:
        model = TermsOfReference
        fields = ["id", "version", "approved_on", "content_type", "size", "created_at"]


class BoardRowSerializer(_Linked):
    url_name = "partnership-board-detail"
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    local_authorities: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )

    class Meta:
        model = Board
        fields = ["id", "url", "name", "kind", "kind_label", "quorum", "local_authorities"]


class BoardSerializer(BoardRowSerializer):
    members = MemberSerializer(many=True, read_only=True)
    terms = TermsSerializer(many=True, read_only=True)

    class Meta(BoardRowSerializer.Meta):
        fields = [*BoardRowSerializer.Meta.fields, "members", "terms", "created_at"]


class BoardInputSerializer(serializers.Serializer):
    name = StrictCharField(max_length=200)
    kind = serializers.ChoiceField(choices=BoardKind.choices, default=BoardKind.PREVENT_BOARD)
    quorum = StrictIntegerField(min_value=1, max_value=99, default=3)
    local_authorities = serializers.ListField(
        child=serializers.UUIDField(),
        required=False,
        default=list,
        max_length=50,
        help_text="Other local authorities of your police force the board also serves.",
    )


class MemberInputSerializer(serializers.Serializer):
    name = StrictCharField(max_length=200)
    role_title = StrictCharField(max_length=200, required=False, default="", allow_blank=True)
    agency = serializers.UUIDField(required=False, allow_null=True, default=None)
    organisation_name = StrictCharField(
        max_length=200, required=False, default="", allow_blank=True
    )
    is_chair = StrictBooleanField(required=False, default=False)
    joined_on = serializers.DateField(required=False, allow_null=True, default=None)


class TermsInputSerializer(serializers.Serializer):
    file = serializers.FileField()
    approved_on = serializers.DateField()


class MeetingSerializer(_Linked):
    url_name = "partnership-meeting-detail"
    board = serializers.UUIDField(source="board_id", read_only=True)
    attended: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )
    held = serializers.BooleanField(source="is_held", read_only=True)
    signed_off = serializers.BooleanField(source="is_locked", read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "url",
            "board",
            "date",
            "location",
            "agenda",
            "attended",
            "minutes",
            "held",
            "held_at",
            "quorum_met",
            "signed_off",
            "signed_off_at",
        ]


class MeetingInputSerializer(serializers.Serializer):
    board = serializers.UUIDField()
    date = serializers.DateField()
    location = StrictCharField(max_length=300)
    agenda = StrictCharField(max_length=5000, required=False, default="", allow_blank=True)


class HoldInputSerializer(serializers.Serializer):
    attended = serializers.ListField(child=serializers.UUIDField(), max_length=200)
    minutes = StrictCharField(max_length=20000, required=False, default="", allow_blank=True)


class ActionSerializer(_Linked):
    url_name = "partnership-action-detail"
    board = serializers.UUIDField(source="board_id", read_only=True, allow_null=True)
    meeting = serializers.UUIDField(source="meeting_id", read_only=True, allow_null=True)
    plan = serializers.UUIDField(source="plan_id", read_only=True, allow_null=True)
    risks: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )
    rag_label = serializers.CharField(source="get_rag_display", read_only=True)

    class Meta:
        model = Action
        fields = [
            "id",
            "url",
            "description",
            "owner",
            "due_date",
            "rag",
            "rag_label",
            "completed_on",
            "board",
            "meeting",
            "plan",
            "risks",
        ]


class ActionInputSerializer(serializers.Serializer):
    description = StrictCharField(max_length=500)
    owner = StrictCharField(max_length=200)
    due_date = serializers.DateField()
    rag = serializers.ChoiceField(choices=Rag.choices, default=Rag.AMBER)
    meeting = serializers.UUIDField(required=False, allow_null=True, default=None)
    plan = serializers.UUIDField(required=False, allow_null=True, default=None)
    risks = serializers.ListField(
        child=serializers.UUIDField(), required=False, default=list, max_length=50
    )

    def validate(self, attrs):
        if not attrs.get("meeting") and not attrs.get("plan"):
            raise serializers.ValidationError(
                {"meeting": ["Give the meeting the action was agreed at, or the plan (or both)."]}
            )
        return attrs


class ActionPatchSerializer(serializers.Serializer):
    description = StrictCharField(max_length=500, required=False)
    owner = StrictCharField(max_length=200, required=False)
    due_date = serializers.DateField(required=False)
    rag = serializers.ChoiceField(choices=Rag.choices, required=False)
    completed_on = serializers.DateField(required=False, allow_null=True)


class RiskSerializer(serializers.ModelSerializer):
    level_label = serializers.CharField(source="get_level_display", read_only=True)

    class Meta:
        model = Risk
        fields = ["id", "title", "level", "level_label", "rank"]


class RiskAssessmentSerializer(_Linked):
    url_name = "partnership-risk-assessment-detail"
    risks = RiskSerializer(many=True, read_only=True)

    class Meta:
        model = RiskAssessment
        fields = ["id", "url", "version", "assessed_on", "review_by", "summary", "risks"]


class RiskInputSerializer(serializers.Serializer):
    title = StrictCharField(max_length=200)
    level = serializers.ChoiceField(choices=RiskLevel.choices)


class RiskAssessmentInputSerializer(serializers.Serializer):
    assessed_on = serializers.DateField()
    review_by = serializers.DateField()
    summary = StrictCharField(max_length=5000)
    risks = serializers.ListField(child=RiskInputSerializer(), min_length=1, max_length=20)


class CtlpSerializer(serializers.ModelSerializer):
    document_url = serializers.SerializerMethodField()
    readers: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )

    class Meta:
        model = CtlpBriefing
        fields = ["id", "title", "received_on", "marking", "readers", "size", "document_url"]

    def get_document_url(self, obj) -> str:
        return self.context["request"].build_absolute_uri(
            reverse("api:partnership-ctlp-document", args=[obj.pk])
        )


class CtlpInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    received_on = serializers.DateField()
    file = serializers.FileField()
    readers = serializers.ListField(child=serializers.UUIDField(), min_length=1, max_length=50)


class PlanSerializer(_Linked):
    url_name = "partnership-plan-detail"

    class Meta:
        model = Plan
        fields = ["id", "url", "title", "starts_on", "ends_on"]


class PlanInputSerializer(serializers.Serializer):
    title = StrictCharField(max_length=200)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()


class AgreementSerializer(_Linked):
    url_name = "partnership-agreement-detail"
    parties: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    lawful_basis_label = serializers.CharField(source="get_lawful_basis_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Agreement
        fields = [
            "id",
            "url",
            "kind",
            "kind_label",
            "title",
            "parties",
            "purpose",
            "lawful_basis",
            "lawful_basis_label",
            "starts_on",
            "review_on",
            "ends_on",
            "status",
            "status_label",
        ]


class AgreementInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AgreementKind.choices, default=AgreementKind.DSA)
    title = StrictCharField(max_length=200)
    parties = serializers.ListField(child=serializers.UUIDField(), min_length=1, max_length=50)
    purpose = StrictCharField(max_length=2000)
    lawful_basis = serializers.ChoiceField(choices=LawfulBasis.choices)
    starts_on = serializers.DateField()
    review_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True, default=None)
    status = serializers.ChoiceField(choices=AgreementStatus.choices, default="active")


class AgreementPatchSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AgreementKind.choices, required=False)
    title = StrictCharField(max_length=200, required=False)
    parties = serializers.ListField(
        child=serializers.UUIDField(), min_length=1, max_length=50, required=False
    )
    purpose = StrictCharField(max_length=2000, required=False)
    lawful_basis = serializers.ChoiceField(choices=LawfulBasis.choices, required=False)
    starts_on = serializers.DateField(required=False)
    review_on = serializers.DateField(required=False)
    ends_on = serializers.DateField(required=False, allow_null=True)
    status = serializers.ChoiceField(choices=AgreementStatus.choices, required=False)


class DisclosureCountSerializer(serializers.Serializer):
    """One line of the ledger: a party, the agreement (null: none), a kind, and counts."""

    agency = serializers.UUIDField(source="recipient_agency_id")
    agency_name = serializers.CharField(source="recipient_agency__name")
    agreement = serializers.UUIDField(source="agreement_id", allow_null=True)
    agreement_title = serializers.CharField(source="agreement__title", allow_null=True)
    kind = serializers.CharField()
    disclosures = serializers.IntegerField()
    cases = serializers.IntegerField()


class LedgerQuerySerializer(serializers.Serializer):
    # ``from`` is a Python keyword: the field is named in ``get_fields``.
    to = serializers.DateField(required=False)
    agreement = serializers.UUIDField(required=False)

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.DateField(required=False)
        return fields


class AgreementQuerySerializer(serializers.Serializer):
    due_for_review = serializers.BooleanField(required=False)


# --- Organisations and projects, training offer and outreach -------------------------------


class StrictDecimalField(serializers.DecimalField):
    """A decimal as the schema gives it: a JSON string such as ``"2500.00"``, not a number."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class GapAnalysisSerializer(serializers.ModelSerializer):
    items = serializers.SerializerMethodField()
    gaps = serializers.IntegerField(read_only=True)

    class Meta:
        model = GapAnalysis
        fields = ["id", "assessed_on", "items", "gaps"]

    def get_items(self, obj) -> list[dict[str, str]]:
        """Each checklist item in order: codes beside labels."""
        items, statuses = dict(PolicyItem.choices), dict(PolicyStatus.choices)
        return [
            {
                "item": code,
                "item_label": str(items[code]),
                "status": obj.items.get(code, ""),
                "status_label": str(statuses.get(obj.items.get(code, ""), "")),
            }
            for code in PolicyItem.values
        ]


class SupportSerializer(serializers.ModelSerializer):
    class Meta:
        model = Support
        fields = ["id", "date", "description"]


class OrganisationRowSerializer(_Linked):
    url_name = "partnership-organisation-detail"
    organisation_type_label = serializers.CharField(
        source="get_organisation_type_display", read_only=True
    )

    class Meta:
        model = Organisation
        fields = [
            "id",
            "url",
            "name",
            "organisation_type",
            "organisation_type_label",
            "charity_number",
            "engaged_on",
        ]


class OrganisationSerializer(OrganisationRowSerializer):
    gap_analyses = GapAnalysisSerializer(many=True, read_only=True)
    support = SupportSerializer(many=True, read_only=True)

    class Meta(OrganisationRowSerializer.Meta):
        fields = [*OrganisationRowSerializer.Meta.fields, "gap_analyses", "support"]


class OrganisationInputSerializer(serializers.Serializer):
    name = StrictCharField(max_length=200)
    organisation_type = serializers.ChoiceField(choices=OrganisationType.choices)
    charity_number = StrictCharField(max_length=20, required=False, default="", allow_blank=True)
    engaged_on = serializers.DateField()


class GapItemsSerializer(serializers.Serializer):
    """Every item of the safeguarding-policy checklist with its status (all required)."""

    def get_fields(self):
        return {
            code: serializers.ChoiceField(choices=PolicyStatus.choices, help_text=str(label))
            for code, label in PolicyItem.choices
        }

    def to_internal_value(self, data):
        unknown = sorted(set(data) - set(PolicyItem.values)) if isinstance(data, dict) else []
        if unknown:
            raise serializers.ValidationError({name: ["Not a checklist item."] for name in unknown})
        return super().to_internal_value(data)


class GapAnalysisInputSerializer(serializers.Serializer):
    assessed_on = serializers.DateField()
    items = GapItemsSerializer()


class SupportInputSerializer(serializers.Serializer):
    date = serializers.DateField()
    description = StrictCharField(max_length=500)


class DueDiligenceSerializer(_Linked):
    url_name = "partnership-due-diligence-detail"
    organisation = serializers.UUIDField(source="organisation_id", read_only=True)
    route_label = serializers.CharField(source="get_route_display", read_only=True)
    check_labels = serializers.ListField(child=serializers.CharField(), read_only=True)
    outcome_label = serializers.CharField(source="get_outcome_display", read_only=True)

    class Meta:
        model = DueDiligenceCheck
        fields = [
            "id",
            "url",
            "organisation",
            "route",
            "route_label",
            "checked_on",
            "checks",
            "check_labels",
            "outcome",
            "outcome_label",
            "checked_by",
        ]


class DueDiligenceInputSerializer(serializers.Serializer):
    organisation = serializers.UUIDField()
    route = serializers.ChoiceField(choices=FundingRoute.choices)
    checked_on = serializers.DateField()
    checks = serializers.ListField(
        child=serializers.ChoiceField(choices=DueDiligenceItem.choices),
        min_length=1,
        max_length=len(DueDiligenceItem.values),
    )
    outcome = serializers.ChoiceField(choices=DueDiligenceOutcome.choices)
    checked_by = StrictCharField(max_length=200)


class ProjectSerializer(_Linked):
    url_name = "partnership-project-detail"
    organisation = serializers.UUIDField(source="organisation_id", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "url",
            "title",
            "organisation",
            "organisation_name",
            "funding_amount",
            "funding_source",
            "starts_on",
            "ends_on",
            "outputs",
        ]


class ProjectInputSerializer(serializers.Serializer):
    title = StrictCharField(max_length=200)
    organisation = serializers.UUIDField()
    funding_amount = StrictDecimalField(max_digits=10, decimal_places=2, min_value=0)
    funding_source = StrictCharField(max_length=200)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True, default=None)
    outputs = StrictCharField(max_length=5000, required=False, default="", allow_blank=True)


class WorkshopSerializer(_Linked):
    url_name = "partnership-workshop-detail"
    session_type_label = serializers.CharField(source="get_session_type_display", read_only=True)

    class Meta:
        model = Workshop
        fields = [
            "id",
            "url",
            "date",
            "title",
            "session_type",
            "session_type_label",
            "audience",
            "attendance",
        ]


class WorkshopInputSerializer(serializers.Serializer):
    date = serializers.DateField()
    title = StrictCharField(max_length=200)
    session_type = serializers.ChoiceField(choices=SessionType.choices, default="workshop")
    audience = StrictCharField(max_length=200)
    attendance = StrictIntegerField(min_value=0, max_value=100000)


# --- Complaints and the mailing list -------------------------------------------------------


class ComplaintSerializer(_Linked):
    url_name = "partnership-complaint-detail"
    channel_label = serializers.CharField(source="get_channel_display", read_only=True)
    outcome_label = serializers.CharField(source="get_outcome_display", read_only=True)

    class Meta:
        model = Complaint
        fields = [
            "id",
            "url",
            "received_on",
            "channel",
            "channel_label",
            "summary",
            "signposted",
            "outcome",
            "outcome_label",
            "closed_on",
        ]


SUMMARY_HELP = (
    "What the complaint is about, in a line or two (at most 300 characters): the Prevent "
    "delivery complained of, never names, case references or case details."
)


# Rules between fields, which OpenAPI cannot state, said where a client reads them.
RECEIVED_HELP = "Today or earlier."
OUTCOME_HELP = "Given with closed_on, and only then: a closed complaint has an outcome."
CLOSED_HELP = "On or after received_on and today or earlier; given with outcome, and only then."


class ComplaintInputSerializer(serializers.Serializer):
    received_on = serializers.DateField(help_text=RECEIVED_HELP)
    channel = serializers.ChoiceField(choices=ComplaintChannel.choices)
    summary = StrictCharField(max_length=300, help_text=SUMMARY_HELP)
    signposted = StrictBooleanField(
        default=False, help_text="The complainant was told of the national complaints route."
    )
    outcome = serializers.ChoiceField(
        choices=ComplaintOutcome.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text=OUTCOME_HELP,
    )
    closed_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text=CLOSED_HELP
    )


class ComplaintPatchSerializer(serializers.Serializer):
    received_on = serializers.DateField(required=False, help_text=RECEIVED_HELP)
    channel = serializers.ChoiceField(choices=ComplaintChannel.choices, required=False)
    summary = StrictCharField(max_length=300, required=False, help_text=SUMMARY_HELP)
    signposted = StrictBooleanField(required=False)
    outcome = serializers.ChoiceField(
        choices=ComplaintOutcome.choices, required=False, allow_blank=True, help_text=OUTCOME_HELP
    )
    closed_on = serializers.DateField(required=False, allow_null=True, help_text=CLOSED_HELP)


class MailingContactSerializer(_Linked):
    url_name = "partnership-mailing-contact-detail"
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = MailingContact
        fields = ["id", "url", "email", "status", "status_label", "confirmed_at", "created_at"]


class MailingContactInputSerializer(serializers.Serializer):
    email = serializers.EmailField(
        max_length=254,
        help_text="Sent a one-time link to confirm; on the list only once they use it.",
    )


class MailingSendSerializer(_Linked):
    url_name = "partnership-mailing-send-detail"
    delivered = serializers.SerializerMethodField()

    class Meta:
        model = MailingSend
        fields = ["id", "url", "sent_at", "delivered"]

    def get_delivered(self, obj) -> int:
        """How many contacts the reminder has reached so far."""
        return len(obj.delivered)
