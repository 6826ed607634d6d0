"""Input and output serializers for the referrals API (DESIGN.md §5).

Input serializers validate every field with a message a practitioner understands; the
services then apply the data. Output serializers come in three widths, one per
``selectors.Access`` level, so a referrer's answer cannot carry police or panel content: the
coarse serializer simply has no such fields.
"""

from __future__ import annotations

import datetime
import uuid

from django.core.validators import ProhibitNullCharactersValidator, RegexValidator
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from accounts.models import LocalAuthority
from prevent_cms.api.fields import StrictBooleanField, StrictCharField, StrictIntegerField
from prevent_cms.models import AuditEvent

from ..choices import (
    ON_BEHALF_ROUTES,
    CoarseStatus,
    Deconfliction,
    Gender,
    ReceivedVia,
    ReferrerSector,
    Screening,
    State,
    coarse_status,
)
from ..forms.draft import INDICATORS
from ..models import (
    REFERRAL_ANSWER_FIELDS,
    ConcernType,
    PoliceAssessment,
    Referral,
    ReferralAssignment,
    ReferralTransition,
)
from ..reference_data import CONCERN_TYPES

MAX_AGE_YEARS = 120
# The codes of the type-of-concern scheme, for the schema: the server checks them against
# the active rows of ``ConcernType``, which the data migration loads from the same list.
CONCERN_TYPE_CODES = [code for code, _label in CONCERN_TYPES]


@extend_schema_field({"type": "string", "enum": CONCERN_TYPE_CODES})
class ConcernTypeField(StrictCharField):
    """A type-of-concern code (``referrals.reference_data.CONCERN_TYPES``)."""


NUL_MESSAGE = "Remove the hidden control characters from this answer"


def _no_nul(value: str) -> None:
    if "\x00" in value:
        raise serializers.ValidationError(NUL_MESSAGE)


_no_nul.forbids_nul = True  # type: ignore[attr-defined]  # read by prevent_cms.openapi


class Text(StrictCharField):
    """A text answer: optional, trimmed, no NUL bytes, with a practitioner's length message."""

    def __init__(self, *, max_length: int, label_text: str = "This answer", **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault(
            "error_messages",
            {
                "max_length": f"{label_text} must be {max_length:,} characters or fewer",
                "invalid": f"{label_text} must be text",
                "blank": f"{label_text} cannot be empty",
                "required": f"{label_text} is required",
                "null": f"{label_text} cannot be empty",
            },
        )
        super().__init__(max_length=max_length, **kwargs)
        self.validators = [
            v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)
        ]
        self.validators.append(_no_nul)


CONTROL_MESSAGE = "Remove the hidden control characters from this answer"


class PlainText(Text):
    """Text that also refuses the control characters no one types (tab and new lines are
    fine): the national form's answers added in issue 15. The schema's pattern says so."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators.insert(
            0,
            RegexValidator(
                "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*$",
                message=CONTROL_MESSAGE,
            ),
        )


PHONE_MESSAGE = "Enter a phone number, like 01632 960 001 or +44 808 157 0192"


class PhoneText(Text):
    """A phone number: digits, spaces and + ( ) - only (the schema's pattern says so)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators.append(RegexValidator(r"^[0-9 +()-]*$", message=PHONE_MESSAGE))


def _text_list(
    *, item_length: int, max_items: int, what: str, help_text: str | None = None
) -> serializers.ListField:
    return serializers.ListField(
        help_text=help_text,
        child=Text(max_length=item_length, allow_blank=False, label_text=f"Each {what}"),
        max_length=max_items,
        required=False,
        error_messages={
            "not_a_list": f"Give the {what}s as a list",
            "max_length": f"Give no more than {max_items} {what}s",
        },
    )


def _yes_no(question: str) -> serializers.BooleanField:
    return StrictBooleanField(
        required=False,
        allow_null=True,
        error_messages={"invalid": f"Answer yes or no: {question}"},
    )


# --- Input ------------------------------------------------------------------------------


class LocalAuthorityField(serializers.PrimaryKeyRelatedField):
    """A local authority id; anything that is not one gets the same plain message."""

    def to_internal_value(self, data):
        try:
            uuid.UUID(str(data))
        except ValueError:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)


class HouseholdMemberSerializer(serializers.Serializer):
    """One person the subject lives with, as the national form lists them."""

    name = PlainText(
        max_length=100, label_text="Household member's name", allow_blank=False, required=True
    )
    relationship = PlainText(max_length=100, label_text="Their relationship to the person")
    age = StrictIntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        max_value=120,
        error_messages={
            "invalid": "Give the household member's age as a whole number of years",
            "min_value": "A household member's age cannot be negative",
            "max_value": "A household member's age must be 120 or less",
        },
    )

    def validate(self, attrs: dict) -> dict:
        # Also on PATCH, where DRF makes a nested ``required`` field optional.
        if not attrs.get("name"):
            raise serializers.ValidationError({"name": "Enter the household member's name"})
        return attrs


class SubjectInputSerializer(serializers.Serializer):
    first_name = Text(max_length=100, label_text="First name")
    last_name = Text(max_length=100, label_text="Last name")
    date_of_birth = serializers.DateField(
        required=False,
        allow_null=True,
        error_messages={"invalid": "Enter the date of birth as a real date, like 2008-03-27"},
    )
    gender = serializers.ChoiceField(
        choices=Gender.choices,
        required=False,
        allow_blank=True,
        error_messages={"invalid_choice": "Select male, female, other or not known"},
    )
    address = Text(max_length=500, label_text="Address")
    postcode = Text(max_length=10, label_text="Postcode")
    local_authority = LocalAuthorityField(
        queryset=LocalAuthority.objects.all(),
        required=False,
        allow_null=True,
        error_messages={
            "does_not_exist": "Select a local authority from the list",
            "incorrect_type": "Select a local authority from the list",
        },
    )
    languages = _text_list(item_length=100, max_items=20, what="language")
    additional_needs = Text(max_length=2000, label_text="Additional needs")
    # The rest of the national form's questions about the person (issue 15).
    place_of_birth = PlainText(max_length=100, label_text="Place of birth")
    nationality = PlainText(max_length=100, label_text="Nationality")
    immigration_status = PlainText(max_length=200, label_text="Immigration status")
    first_language = PlainText(max_length=100, label_text="First language")
    interpreter_needed = _yes_no("does the person need an interpreter?")
    household_members = serializers.ListField(
        child=HouseholdMemberSerializer(),
        max_length=20,
        required=False,
        error_messages={
            "not_a_list": "Give the household members as a list",
            "max_length": "Give no more than 20 household members",
        },
    )

    def validate_date_of_birth(self, value: datetime.date | None):
        if value is None:
            return value
        today = timezone.localdate()
        if value > today:
            raise serializers.ValidationError("Date of birth must be in the past")
        try:
            earliest = today.replace(year=today.year - MAX_AGE_YEARS)
        except ValueError:  # 29 February
            earliest = today.replace(year=today.year - MAX_AGE_YEARS, day=28)
        if value < earliest:
            raise serializers.ValidationError(
                f"Date of birth must be within the last {MAX_AGE_YEARS} years"
            )
        return value

    def validate_postcode(self, value: str) -> str:
        return " ".join(value.upper().split())


class OtherAgencySerializer(serializers.Serializer):
    name = Text(max_length=200, label_text="Agency name", allow_blank=False, required=True)
    role = Text(max_length=200, label_text="Their role")
    contact = Text(max_length=200, label_text="Contact details")


class ReferralInputSerializer(serializers.Serializer):
    """The referral form (DESIGN.md §5 create body). Every answer may be left for later."""

    subject = SubjectInputSerializer(required=False)
    concern_summary = Text(max_length=5000, label_text="What you are worried about")
    how_concern_arose = Text(max_length=5000, label_text="How the concern arose")
    online_activity = Text(max_length=3000, label_text="Online activity")
    concern_types = serializers.ListField(
        child=ConcernTypeField(max_length=40),
        max_length=20,
        required=False,
        error_messages={"not_a_list": "Give the types of concern as a list"},
    )
    indicators = _text_list(
        item_length=200,
        max_items=50,
        what="indicator",
        help_text="The signs seen: codes of the browser form's checklist ("
        + ", ".join(f"`{code}`" for code, _label in INDICATORS)
        + "), or the referrer's own words.",
    )
    complex_needs = _text_list(item_length=200, max_items=50, what="need")
    immediate_risk = _yes_no("is anyone in immediate danger?")
    subject_aware = _yes_no("does the person know about this referral?")
    discussed_with_lead = _yes_no("have you discussed this with your safeguarding lead?")
    action_taken = Text(max_length=2000, label_text="Action already taken")
    other_agencies = serializers.ListField(
        child=OtherAgencySerializer(), max_length=20, required=False
    )
    agencies_consulted = _yes_no("have you consulted another agency about this concern?")
    agencies_consulted_details = PlainText(
        max_length=2000, label_text="Who you consulted and what they said"
    )
    parental_support = _yes_no("do the person's parents or carers support them?")
    parental_support_details = PlainText(
        max_length=2000, label_text="The support from their parents or carers"
    )
    referrer_phone = PhoneText(max_length=40, label_text="Your phone number")
    referrer_relationship = Text(max_length=200, label_text="Your relationship to the person")
    version = StrictIntegerField(
        required=False,
        min_value=1,
        write_only=True,
        help_text="On PATCH: the version you edited; 409 if someone saved the draft since.",
    )

    def validate_concern_types(self, codes: list[str]) -> list[str]:
        known = set(ConcernType.objects.filter(active=True).values_list("code", flat=True))
        unknown = sorted({code for code in codes if code not in known})
        if unknown:
            names = ", ".join(unknown)
            raise serializers.ValidationError(
                f"Choose each type of concern from the list (not recognised: {names})"
            )
        return list(dict.fromkeys(codes))

    def validate_referrer_phone(self, value: str) -> str:
        return value.strip()


class ReferrerContactSerializer(serializers.Serializer):
    """Who raised the concern, when a Prevent officer or Prevent lead records it for them."""

    name = Text(
        max_length=200,
        label_text="The referrer’s name",
        required=True,
        allow_blank=False,
        help_text="Their name, or “Anonymous” if they would not give it.",
    )
    organisation = Text(max_length=200, label_text="Their organisation")
    sector = serializers.ChoiceField(
        choices=ReferrerSector.choices,
        error_messages={
            "invalid_choice": "Select the referrer’s sector from the list",
            "required": "Select the referrer’s sector",
        },
    )
    phone = PhoneText(max_length=40, label_text="Their phone number")
    email = serializers.EmailField(
        required=False,
        allow_blank=True,
        max_length=254,
        help_text="Where the content-free “your referral has been reviewed” e-mail goes.",
        error_messages={"invalid": "Enter an e-mail address, like name@example.com"},
    )

    def validate_phone(self, value: str) -> str:
        return value.strip()


ON_BEHALF_FIELDS = ("received_via", "received_at", "referrer_contact")
NOT_ON_BEHALF = (
    "Only a Prevent officer or Prevent lead records a referral on someone's behalf; your own "
    "referral is always received online"
)
ALL_THREE = "Give this too for a referral recorded on someone's behalf"


# The create body keeps the form's component name: it is the form, and on-behalf fields.
@extend_schema_serializer(component_name="ReferralInput")
class ReferralCreateSerializer(ReferralInputSerializer):
    """The create body: the referral form, and for a referral recorded on someone's behalf
    (Prevent officers and Prevent leads only) how and when it was received and from whom."""

    received_via = serializers.ChoiceField(
        choices=[(code, label) for code, label in ReceivedVia.choices if code in ON_BEHALF_ROUTES],
        required=False,
        help_text="How the referral reached you. Only for a referral recorded on someone's "
        "behalf; a referrer's own referral is always `online` and must not send this.",
        error_messages={"invalid_choice": "Select how the referral was received"},
    )
    received_at = serializers.DateTimeField(
        required=False,
        help_text="When it was received (ISO 8601 with a time zone); now or in the past.",
        error_messages={"invalid": "Enter the date and time received, like 2026-12-07T09:30Z"},
    )
    referrer_contact = ReferrerContactSerializer(required=False)

    def validate_received_at(self, value: datetime.datetime) -> datetime.datetime:
        if value > timezone.now():
            raise serializers.ValidationError(
                "The date and time received must be now or in the past"
            )
        return value

    def to_internal_value(self, data):
        """A caller who may not record on someone's behalf is told so before anything else
        about these fields is checked (a referrer's own referral is always ``online``)."""
        sent = [name for name in ON_BEHALF_FIELDS if isinstance(data, dict) and name in data]
        if sent and not self.context.get("on_behalf_allowed"):
            raise serializers.ValidationError(dict.fromkeys(sent, NOT_ON_BEHALF))
        return super().to_internal_value(data)

    def validate(self, attrs: dict) -> dict:
        given = [name for name in ON_BEHALF_FIELDS if name in attrs]
        missing = [name for name in ON_BEHALF_FIELDS if name not in attrs]
        if given and missing:
            raise serializers.ValidationError(dict.fromkeys(missing, ALL_THREE))
        return attrs


class TransitionInputSerializer(serializers.Serializer):
    """The data a transition may need. Which fields are required depends on the step."""

    rationale = Text(max_length=5000, label_text="The reasons for this decision")
    reason = Text(max_length=32, label_text="The reason for closing")
    signposted_to = Text(max_length=40, label_text="The service signposted to")
    reassess_on = serializers.DateField(
        required=False,
        allow_null=True,
        error_messages={"invalid": "Enter the reassessment date as a real date"},
    )

    def validate_reassess_on(self, value):
        if value is not None and value < timezone.localdate():
            raise serializers.ValidationError("The reassessment date must be today or later")
        return value


class AssessmentInputSerializer(serializers.Serializer):
    deconfliction = serializers.ChoiceField(
        choices=Deconfliction.choices,
        error_messages={
            "required": "Record the deconfliction outcome",
            "invalid_choice": "Deconfliction must be cleared or live_investigation",
        },
    )
    concern_type = ConcernTypeField(
        max_length=40, error_messages={"required": "Select the type of concern"}
    )
    screening = serializers.ChoiceField(
        choices=Screening.choices,
        error_messages={
            "required": "Select the screening outcome",
            "invalid_choice": (
                "Screening must be clear_vulnerability, limited_information or not_appropriate"
            ),
        },
    )
    vulnerabilities = _text_list(item_length=200, max_items=50, what="vulnerability")
    risk_summary = Text(
        max_length=5000, label_text="The risk summary", required=True, allow_blank=False
    )

    def validate_concern_type(self, value: str) -> str:
        if not ConcernType.objects.filter(pk=value, active=True).exists():
            raise serializers.ValidationError("Select a type of concern from the list")
        return value


# --- Output -----------------------------------------------------------------------------


class PersonSerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField(source="display_name")


class SubjectSerializer(serializers.Serializer):
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    date_of_birth = serializers.DateField(allow_null=True)
    gender = serializers.CharField()
    address = serializers.CharField()
    postcode = serializers.CharField()
    local_authority = serializers.CharField(source="local_authority_id", allow_null=True)
    languages = serializers.ListField(child=serializers.CharField())
    additional_needs = serializers.CharField()
    place_of_birth = serializers.CharField()
    nationality = serializers.CharField()
    immigration_status = serializers.CharField()
    first_language = serializers.CharField()
    interpreter_needed = serializers.BooleanField(allow_null=True)
    household_members = HouseholdMemberSerializer(many=True)


class ViewField(serializers.ChoiceField):
    """Which view of the case an answer is: its one value, so that each view's schema admits
    only answers of that view (the ``oneOf`` of the detail holds exactly one)."""

    def __init__(self, view: str):
        self.view = view
        super().__init__(
            choices=[view],
            source="*",
            read_only=True,
            help_text="Which view of the case this is: `coarse` (its referrer or agency lead), "
            "`panel` (a panel member) or `full` (its Prevent officer or Channel chair). A "
            "client reads the rest of the answer by it (the schema's discriminator).",
        )

    def to_representation(self, value) -> str:
        return self.view


class _ReferralBase(serializers.ModelSerializer):
    """What the referrer submitted: every width shows at least this."""

    subject = SubjectSerializer()
    status = serializers.SerializerMethodField(help_text="received / being_assessed / closed")
    available_transitions = serializers.SerializerMethodField(
        help_text="Names of the transitions the caller may run now, the transfer steps "
        "(`transfer`, `accept_transfer`, `decline_transfer`) included."
    )
    referrer_agency = serializers.CharField(source="referrer_agency.name")
    referrer_contact = serializers.SerializerMethodField(
        help_text="Who raised the concern, for a referral recorded on their behalf; shown to "
        "the case's officer or chair and to whoever recorded it, else null."
    )
    VIEW = ""
    SUBMITTED_FIELDS = [
        "view",
        "id",
        "reference",
        "state",
        "status",
        "available_transitions",
        "subject",
        *REFERRAL_ANSWER_FIELDS,
        "referrer_agency",
        "received_via",
        "received_at",
        "referrer_contact",
        "created_at",
        "submitted_at",
    ]

    @extend_schema_field(ReferrerContactSerializer(allow_null=True))
    def get_referrer_contact(self, referral: Referral) -> dict | None:
        request = self.context.get("request")
        reader = getattr(request, "user", None)
        shown = self.VIEW == "full" or (reader is not None and reader.pk == referral.referrer_id)
        if not referral.on_behalf or not shown:
            return None
        return {
            "name": referral.contact_name,
            "organisation": referral.contact_organisation,
            "sector": referral.contact_sector,
            "phone": referral.contact_phone,
            "email": referral.contact_email,
        }

    @extend_schema_field(serializers.ChoiceField(choices=CoarseStatus.choices))
    def get_status(self, referral: Referral) -> str:
        return str(coarse_status(referral.state))

    def get_available_transitions(self, referral: Referral) -> list[str]:
        return list(self.context.get("available_transitions", []))


class CoarseReferralSerializer(_ReferralBase):
    """A referrer's or agency lead's view: what was submitted and a coarse status only.

    ``state`` here is the coarse status too: the real state would reveal the police decision.
    """

    VIEW = "coarse"
    view = ViewField(VIEW)
    state = serializers.SerializerMethodField(
        help_text="For this view, the coarse status (the real state is police information)."
    )

    class Meta:
        model = Referral
        fields = _ReferralBase.SUBMITTED_FIELDS

    @extend_schema_field(serializers.ChoiceField(choices=CoarseStatus.choices))
    def get_state(self, referral: Referral) -> str:
        return str(coarse_status(referral.state))


class StateField(serializers.ChoiceField):
    """The lifecycle state (the schema's ``ReferralStateEnum``, see ``ENUM_NAME_OVERRIDES``)."""

    def __init__(self, **kwargs):
        super().__init__(choices=State.choices, read_only=True, **kwargs)


class PanelReferralSerializer(_ReferralBase):
    """A panel member's view while the case is on their agenda: the referral and its stage."""

    VIEW = "panel"
    view = ViewField(VIEW)
    state = StateField()

    class Meta:
        model = Referral
        fields = [*_ReferralBase.SUBMITTED_FIELDS, "urgent", "local_authority", "state_changed_at"]


class AssessmentSerializer(serializers.ModelSerializer):
    officer = PersonSerializer()
    concern_type = serializers.CharField(source="concern_type_id")

    class Meta:
        model = PoliceAssessment
        fields = [
            "id",
            "officer",
            "deconfliction",
            "concern_type",
            "screening",
            "vulnerabilities",
            "risk_summary",
            "created_at",
        ]


class FullReferralSerializer(_ReferralBase):
    """The whole case, for the Prevent officer of the force and the Channel chair."""

    VIEW = "full"
    view = ViewField(VIEW)
    state = StateField()
    referrer = PersonSerializer()
    assigned_officer = PersonSerializer(allow_null=True)
    case_lead = PersonSerializer(allow_null=True)
    assessments = AssessmentSerializer(many=True)

    class Meta:
        model = Referral
        fields = [
            *_ReferralBase.SUBMITTED_FIELDS,
            "version",
            "urgent",
            "referrer",
            "local_authority",
            "police_force",
            "assigned_officer",
            "case_lead",
            "assessments",
            "updated_at",
            "assessment_started_at",
            "decided_at",
            "channel_entered_at",
            "adopted_at",
            "exited_at",
            "state_changed_at",
            "closure_reason",
            "signposted_to",
            "reassess_on",
            "closed_at",
        ]


class ReferralListSerializer(serializers.ModelSerializer):
    """One row of the list; ``state`` is coarse unless the caller sees the case fully."""

    state = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    subject_name = serializers.CharField(source="subject.full_name")

    class Meta:
        model = Referral
        fields = [
            "id",
            "reference",
            "state",
            "status",
            "subject_name",
            "created_at",
            "submitted_at",
        ]

    def get_state(self, referral: Referral) -> str:
        fine_ids = self.context.get("fine_state_ids", set())
        return referral.state if referral.pk in fine_ids else str(coarse_status(referral.state))

    def get_status(self, referral: Referral) -> str:
        return str(coarse_status(referral.state))


class ReferralSearchInputSerializer(serializers.Serializer):
    """The body of ``POST /api/v1/referrals/search/``: kept out of the URL, as it may be a
    person's name."""

    q = Text(
        max_length=100,
        label_text="The search",
        required=True,
        allow_blank=False,
        help_text="A case reference, or words of the person's first or last name.",
    )

    def validate_q(self, value: str) -> str:
        value = value.strip()
        if not value:
            raise serializers.ValidationError("Enter a reference or a name to search for")
        return value


class HistorySerializer(serializers.ModelSerializer):
    actor = PersonSerializer()
    from_state = serializers.CharField(help_text="The state before the step.")
    to_state = serializers.CharField(help_text="The state after the step.")

    class Meta:
        model = ReferralTransition
        fields = ["id", "name", "from_state", "to_state", "actor", "at", "payload"]


class AccessLogSerializer(serializers.ModelSerializer):
    actor = PersonSerializer(allow_null=True)
    via = serializers.SerializerMethodField()

    class Meta:
        model = AuditEvent
        fields = ["id", "at", "actor", "action", "via"]

    def get_via(self, event: AuditEvent) -> str:
        return str((event.detail or {}).get("via", ""))


class AssignInputSerializer(serializers.Serializer):
    """Whom to assign the case to, and which assignment: its officer or its case lead."""

    assignee = serializers.UUIDField(
        help_text="The user id of an active Prevent officer of the case's force (or, for "
        "`case_lead`, a Channel chair of its local authority), from `/api/v1/users/`.",
    )
    role = serializers.ChoiceField(
        choices=ReferralAssignment.AssignmentRole.values,
        default="officer",
        help_text="`officer` while the police hold the case; `case_lead` in Channel.",
    )
