"""The referral form's question pages.

Each section of the national referral form (DOMAIN.md §Referral form) is one form that
validates on its own and turns its answers into the ``data`` that
``services.referral_update_draft`` takes. Messages are in the words a practitioner uses.
"""

from __future__ import annotations

from crispy_forms_gds.layout import Fieldset, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import LocalAuthority

from ..choices import Gender
from ..guards import REQUIRED_ANSWERS
from ..models import ConcernType
from .fields import DateOfBirthField, GovForm, Text, YesNo, split_lines

MAX_AGE_YEARS = 120


def _yes_no(value) -> str | None:
    if value is None:
        return None
    return "yes" if value else "no"


def _bool(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


REQUIRED_MESSAGES = {answer.name: answer.message for answer in REQUIRED_ANSWERS}


class SectionForm(GovForm):
    """A question page of the referral form.

    Which of its questions must be answered, and the message when one is not, come from the
    one rule the submit guard reads (``guards.REQUIRED_ANSWERS``), never from the fields'
    own declarations: a draft the pages accept is one the API's ``submit`` accepts, and the
    other way round. ``local_authority`` is required on its page too: it always has a value.
    """

    slug = ""
    title = ""
    ALWAYS_ANSWERED = ("local_authority",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name in REQUIRED_MESSAGES:
                field.required = True
                field.error_messages["required"] = REQUIRED_MESSAGES[name]
            elif name not in self.ALWAYS_ANSWERED:
                field.required = False

    @classmethod
    def required_fields(cls) -> tuple[str, ...]:
        return tuple(name for name in cls.base_fields if name in REQUIRED_MESSAGES)

    @classmethod
    def initial_for(cls, referral) -> dict:
        return {}

    def to_data(self) -> dict:
        raise NotImplementedError


class PersonForm(SectionForm):
    slug = "person"
    title = _("About the person")

    first_name = Text(label=_("First name"), max_length=100)
    last_name = Text(label=_("Last name"), max_length=100)
    aliases = Text(label=_("Other names they use (optional)"), max_length=200)
    date_of_birth = DateOfBirthField(
        label=_("Date of birth"), help_text=_("For example, 27 3 2010")
    )
    place_of_birth = Text(
        label=_("Place of birth (optional)"),
        help_text=_("Town or city, and country if outside the UK"),
        max_length=100,
    )
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, widget=forms.RadioSelect)
    nationality = Text(label=_("Nationality (optional)"), max_length=100)
    immigration_status = Text(
        label=_("Immigration status, if relevant (optional)"),
        help_text=_(
            "For example, asylum seeker or refugee. Leave this blank for a British citizen or "
            "if you do not know."
        ),
        max_length=200,
    )
    first_language = Text(label=_("First language (optional)"), max_length=100)
    interpreter_needed = YesNo(label=_("Do they need an interpreter? (optional)"))
    languages = Text(
        label=_("Other languages they speak (optional)"),
        max_length=200,
        help_text=_("Separate languages with commas"),
    )
    religion = Text(label=_("Religion (optional)"), max_length=100)
    ethnicity = Text(label=_("Ethnicity (optional)"), max_length=100)

    def clean_date_of_birth(self):
        value = self.cleaned_data.get("date_of_birth")
        if value is None:
            return value
        today = timezone.localdate()
        if value > today:
            raise ValidationError(_("The date of birth must be today or in the past"))
        if value.year < today.year - MAX_AGE_YEARS or (today - value).days > 366 * MAX_AGE_YEARS:
            raise ValidationError(
                _("The date of birth must be less than %(years)d years ago")
                % {"years": MAX_AGE_YEARS}
            )
        return value

    @classmethod
    def initial_for(cls, referral) -> dict:
        s = referral.subject
        return {
            "first_name": s.first_name,
            "last_name": s.last_name,
            "aliases": s.aliases,
            "date_of_birth": s.date_of_birth,
            "place_of_birth": s.place_of_birth,
            "gender": s.gender,
            "nationality": s.nationality,
            "immigration_status": s.immigration_status,
            "first_language": s.first_language,
            "interpreter_needed": _yes_no(s.interpreter_needed),
            "languages": ", ".join(s.languages or []),
            "religion": s.religion,
            "ethnicity": s.ethnicity,
        }

    def to_data(self) -> dict:
        d = self.cleaned_data
        languages = [part.strip() for part in d["languages"].split(",") if part.strip()]
        return {
            "subject": {
                "first_name": d["first_name"],
                "last_name": d["last_name"],
                "aliases": d["aliases"],
                "date_of_birth": d["date_of_birth"],
                "place_of_birth": d["place_of_birth"],
                "gender": d["gender"],
                "nationality": d["nationality"],
                "immigration_status": d["immigration_status"],
                "first_language": d["first_language"],
                "interpreter_needed": _bool(d["interpreter_needed"]),
                "languages": languages,
                "religion": d["religion"],
                "ethnicity": d["ethnicity"],
            }
        }


class AddressForm(SectionForm):
    slug = "address"
    title = _("Address and local authority")

    address = Text(label=_("Current address"), max_length=500, textarea=True)
    postcode = Text(label=_("Postcode"), max_length=10)
    local_authority = forms.ModelChoiceField(
        label=_("Local authority where the person lives"),
        queryset=LocalAuthority.objects.order_by("name"),
        # No default (issue 19): the person chooses, or a referral could silently go to the
        # wrong council. The empty choice comes first.
        empty_label=_("Select a local authority"),
        error_messages={
            "required": _("Select the local authority where the person lives"),
            "invalid_choice": _("Select a local authority from the list"),
        },
    )
    previous_addresses = Text(
        label=_("Previous addresses (optional)"), max_length=1000, textarea=True
    )
    contact_details = Text(
        label=_("Phone numbers or e-mail for the person (optional)"), max_length=500, textarea=True
    )
    social_media = Text(label=_("Social media accounts (optional)"), max_length=500, textarea=True)

    @classmethod
    def initial_for(cls, referral) -> dict:
        s = referral.subject
        return {
            "address": s.address,
            "postcode": s.postcode,
            # A draft holds its referrer's agency's area until the address is answered (the
            # case must be scoped somewhere): that placeholder is never offered as a choice.
            "local_authority": referral.local_authority_id
            if s.address or cls.slug in referral.sections_done
            else None,
            "previous_addresses": s.previous_addresses,
            "contact_details": s.contact_details,
            "social_media": s.social_media,
        }

    def clean_postcode(self):
        return self.cleaned_data["postcode"].upper()

    def to_data(self) -> dict:
        d = self.cleaned_data
        return {
            "subject": {
                "address": d["address"],
                "postcode": d["postcode"],
                "local_authority": d["local_authority"],
                "previous_addresses": d["previous_addresses"],
                "contact_details": d["contact_details"],
                "social_media": d["social_media"],
            }
        }


HOUSEHOLD_ROWS = 6
MAX_HOUSEHOLD_AGE = 120


def _member_fields(number: int) -> dict[str, forms.Field]:
    """The three questions about one household member (name, relationship, age)."""
    age_message = _("Enter household member %(n)d’s age as a whole number of years, like 14") % {
        "n": number
    }
    return {
        f"member_{number}_name": Text(label=_("Name"), max_length=100),
        f"member_{number}_relationship": Text(
            label=_("Relationship to the person"),
            help_text=_("For example, mother, brother or lodger"),
            max_length=100,
        ),
        f"member_{number}_age": forms.IntegerField(
            label=_("Age (optional)"),
            min_value=0,
            max_value=MAX_HOUSEHOLD_AGE,
            widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
            error_messages={
                "invalid": age_message,
                "min_value": age_message,
                "max_value": _("Household member %(n)d’s age must be %(max)d or less")
                % {"n": number, "max": MAX_HOUSEHOLD_AGE},
            },
        ),
    }


# The rows' fields, declared through the form's own metaclass (the same as writing out
# eighteen class attributes).
_HouseholdRows = type(SectionForm)(
    "_HouseholdRows",
    (SectionForm,),
    {
        "__module__": __name__,
        **{
            name: field
            for number in range(1, HOUSEHOLD_ROWS + 1)
            for name, field in _member_fields(number).items()
        },
    },
)


class HouseholdForm(_HouseholdRows):
    """Who the person lives with (the national form's household members) and, for a child,
    whether their parents or carers support them. A short fixed list of rows: blank rows are
    ignored, so no script is needed to add one."""

    slug = "household"
    title = _("Household and family")

    parental_support = YesNo(
        label=_("Do their parents or carers support them? (optional)"),
        help_text=_("Answer this if the person is under 18"),
    )
    parental_support_details = Text(
        label=_("Tell us more about the support from their parents or carers (optional)"),
        max_length=2000,
        textarea=True,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            *[
                Fieldset(
                    f"member_{n}_name",
                    f"member_{n}_relationship",
                    f"member_{n}_age",
                    legend=_("Household member %(n)d (optional)") % {"n": n},
                    legend_size="s",
                )
                for n in range(1, HOUSEHOLD_ROWS + 1)
            ],
            "parental_support",
            "parental_support_details",
        )

    def clean(self):
        data = super().clean()
        for n in range(1, HOUSEHOLD_ROWS + 1):
            name = data.get(f"member_{n}_name")
            other = data.get(f"member_{n}_relationship") or data.get(f"member_{n}_age") is not None
            if other and not name and f"member_{n}_name" not in self.errors:
                self.add_error(
                    f"member_{n}_name",
                    _("Enter the name of household member %(n)d, or clear their row") % {"n": n},
                )
        return data

    @classmethod
    def initial_for(cls, referral) -> dict:
        initial = {
            "parental_support": _yes_no(referral.parental_support),
            "parental_support_details": referral.parental_support_details,
        }
        members = referral.subject.household_members or []
        for n, member in enumerate(members[:HOUSEHOLD_ROWS], start=1):
            if not isinstance(member, dict):
                member = {"name": str(member)}
            initial[f"member_{n}_name"] = member.get("name", "")
            initial[f"member_{n}_relationship"] = member.get("relationship", "")
            initial[f"member_{n}_age"] = member.get("age")
        return initial

    def to_data(self) -> dict:
        """Each filled row becomes ``{"name", "relationship", "age"}``, as the API stores it."""
        d = self.cleaned_data
        members = [
            {
                "name": d[f"member_{n}_name"],
                "relationship": d[f"member_{n}_relationship"],
                "age": d[f"member_{n}_age"],
            }
            for n in range(1, HOUSEHOLD_ROWS + 1)
            if d[f"member_{n}_name"]
        ]
        return {
            "subject": {"household_members": members},
            "parental_support": _bool(d["parental_support"]),
            "parental_support_details": d["parental_support_details"],
        }


def household_line(member) -> str:
    """One household member as text: "name, relationship, age N"."""
    if not isinstance(member, dict):
        return str(member)
    parts = [member.get("name") or "", member.get("relationship") or ""]
    if member.get("age") is not None:
        parts.append(_("age %(age)s") % {"age": member["age"]})
    return ", ".join(str(part) for part in parts if part)


class EducationForm(SectionForm):
    slug = "education"
    title = _("Education or employment")

    education_or_employment = Text(
        label=_("School, college, university or employer, now and before (optional)"),
        max_length=1000,
        textarea=True,
    )

    @classmethod
    def initial_for(cls, referral) -> dict:
        return {"education_or_employment": referral.subject.education_or_employment}

    def to_data(self) -> dict:
        return {"subject": dict(self.cleaned_data)}


# The signs of radicalisation the national form's prompts and the councils' pages list
# (DOMAIN.md §Referral form, "Describe concerns"): the indicators checklist. Stored as codes;
# an API client may also send its own words, shown as given.
INDICATORS = [
    ("violence_justified", _("Justifies violence to bring about change")),
    ("extremist_views", _("Expresses extremist views, or hateful words about other groups")),
    ("extremist_material", _("Has or shares extremist material or symbols")),
    ("online_activity", _("Spends more and more time online with extreme content or people")),
    ("concerning_contacts", _("In contact with concerning groups or people")),
    ("intent_to_harm", _("Has talked about intending to harm others")),
    ("mass_casualty_interest", _("Interested in mass-casualty attacks or school shootings")),
    ("travel_plans", _("Plans to travel to a conflict zone or to join a group")),
    ("us_and_them", _("An ‘us and them’ outlook, or intolerant of other groups or beliefs")),
    ("conspiracy_theories", _("Embraces conspiracy theories linked to extremism")),
    ("behaviour_change", _("Out-of-character changes in behaviour, friends or appearance")),
    ("secretive", _("Secretive, resistant to challenge, or speaks as if from a script")),
]


class ConcernsForm(SectionForm):
    slug = "concerns"
    title = _("Your concerns")

    immediate_risk = YesNo(label=_("Is anyone in immediate danger?"))
    concern_summary = Text(
        label=_("What are you worried about?"),
        help_text=_("Say what you saw or heard, using the person’s exact words if you can"),
        max_length=5000,
        textarea=True,
    )
    how_concern_arose = Text(
        label=_("How did the concern come to your attention?"), max_length=5000, textarea=True
    )
    indicators = forms.MultipleChoiceField(
        label=_("Have you seen any of these signs? (optional)"),
        help_text=_("Select all that apply. On their own they may mean nothing."),
        required=False,
        choices=INDICATORS,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Select signs from the list")},
    )
    online_activity = Text(
        label=_("Online activity, and how you know about it (optional)"),
        max_length=3000,
        textarea=True,
    )
    concern_types = forms.MultipleChoiceField(
        label=_("What type of concern do you think this is? (optional)"),
        help_text=_("The police decide the type of concern. Select any that you think apply."),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Select types of concern from the list")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["concern_types"].choices = [
            (c.code, str(c)) for c in ConcernType.objects.filter(active=True)
        ]

    @classmethod
    def initial_for(cls, referral) -> dict:
        return {
            "immediate_risk": _yes_no(referral.immediate_risk),
            "concern_summary": referral.concern_summary,
            "how_concern_arose": referral.how_concern_arose,
            "online_activity": referral.online_activity,
            "concern_types": referral.concern_types,
            "indicators": referral.indicators,
        }

    def to_data(self) -> dict:
        d = self.cleaned_data
        return {
            "immediate_risk": _bool(d["immediate_risk"]),
            "concern_summary": d["concern_summary"],
            "how_concern_arose": d["how_concern_arose"],
            "online_activity": d["online_activity"],
            "concern_types": list(d["concern_types"]),
            "indicators": list(d["indicators"]),
        }


COMPLEX_NEEDS = [
    ("send", _("Special educational needs or disability")),
    ("mental_health", _("Mental health")),
    ("neurodiversity", _("Neurodiversity, for example autism or ADHD")),
    ("victim", _("Victim of crime, abuse or bullying")),
    ("family", _("Family issues")),
    ("housing_money", _("Housing or money problems")),
    ("substance_misuse", _("Drug or alcohol misuse")),
    ("immigration", _("Immigration issues")),
    ("court_probation", _("Involved with courts or probation")),
]


class ComplexNeedsForm(SectionForm):
    slug = "needs"
    title = _("Complex needs")

    complex_needs = forms.MultipleChoiceField(
        label=_("Does the person have any of these needs? (optional)"),
        help_text=_("Select all that apply"),
        required=False,
        choices=COMPLEX_NEEDS,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Select needs from the list")},
    )
    additional_needs = Text(
        label=_("Tell us more about their needs (optional)"), max_length=2000, textarea=True
    )

    @classmethod
    def initial_for(cls, referral) -> dict:
        return {
            "complex_needs": referral.complex_needs,
            "additional_needs": referral.subject.additional_needs,
        }

    def to_data(self) -> dict:
        d = self.cleaned_data
        return {
            "complex_needs": list(d["complex_needs"]),
            "subject": {"additional_needs": d["additional_needs"]},
        }


class OtherAgenciesForm(SectionForm):
    slug = "agencies"
    title = _("Other agencies involved")

    other_agencies = Text(
        label=_("Other agencies or professionals involved (optional)"),
        help_text=_("Give each on its own line: name, role and how to contact them"),
        max_length=2000,
        textarea=True,
    )
    agencies_consulted = YesNo(
        label=_(
            "Have you already consulted another agency about this concern, for example "
            "children’s social care? (optional)"
        )
    )
    agencies_consulted_details = Text(
        label=_("Who did you consult, and what did they say? (optional)"),
        max_length=2000,
        textarea=True,
    )

    @classmethod
    def initial_for(cls, referral) -> dict:
        return {
            "other_agencies": "\n".join(agency_line(a) for a in referral.other_agencies or []),
            "agencies_consulted": _yes_no(referral.agencies_consulted),
            "agencies_consulted_details": referral.agencies_consulted_details,
        }

    def to_data(self) -> dict:
        """Each line becomes ``{"name", "role", "contact"}``, the shape the API stores."""
        agencies = []
        for line in split_lines(self.cleaned_data["other_agencies"]):
            name, role, contact = ([part.strip() for part in line.split(",", 2)] + ["", ""])[:3]
            agencies.append({"name": name, "role": role, "contact": contact})
        return {
            "other_agencies": agencies,
            "agencies_consulted": _bool(self.cleaned_data["agencies_consulted"]),
            "agencies_consulted_details": self.cleaned_data["agencies_consulted_details"],
        }


def agency_line(agency) -> str:
    """One other agency as the text the form shows: "name, role, contact"."""
    if isinstance(agency, dict):
        parts = [agency.get("name", ""), agency.get("role", ""), agency.get("contact", "")]
        return ", ".join(part for part in parts if part)
    return str(agency)


class QuestionsForm(SectionForm):
    slug = "questions"
    title = _("Questions about the referral")

    discussed_with_lead = YesNo(
        label=_("Have you discussed this with your designated safeguarding lead or Prevent lead?")
    )
    subject_aware = YesNo(label=_("Does the person, or their family, know about this referral?"))
    action_taken = Text(
        label=_("What action, if any, has already been taken? (optional)"),
        max_length=2000,
        textarea=True,
    )

    @classmethod
    def initial_for(cls, referral) -> dict:
        return {
            "discussed_with_lead": _yes_no(referral.discussed_with_lead),
            "subject_aware": _yes_no(referral.subject_aware),
            "action_taken": referral.action_taken,
        }

    def to_data(self) -> dict:
        d = self.cleaned_data
        return {
            "discussed_with_lead": _bool(d["discussed_with_lead"]),
            "subject_aware": _bool(d["subject_aware"]),
            "action_taken": d["action_taken"],
        }


class TelephoneInput(forms.TextInput):
    input_type = "tel"


class AboutYouForm(SectionForm):
    slug = "you"
    title = _("About you")

    referrer_phone = Text(
        label=_("Your phone number"),
        max_length=40,
        help_text=_("A Prevent officer may call you to talk about the referral"),
        # The person filling the form's own number: browsers may offer it (WCAG 1.3.5).
        widget=TelephoneInput(attrs={"autocomplete": "tel"}),
    )
    referrer_relationship = Text(
        label=_("Your relationship to the person (optional)"),
        help_text=_("For example, their form tutor"),
        max_length=200,
    )

    def clean_referrer_phone(self):
        value = self.cleaned_data["referrer_phone"]
        digits = [c for c in value if c.isdigit()]
        if len(digits) < 7 or any(c not in "0123456789 +()-" for c in value):
            raise ValidationError(_("Enter a phone number, like 020 7946 0000"))
        return value

    @classmethod
    def initial_for(cls, referral) -> dict:
        return {
            "referrer_phone": referral.referrer_phone,
            "referrer_relationship": referral.referrer_relationship,
        }

    def to_data(self) -> dict:
        return dict(self.cleaned_data)


SECTIONS: list[type[SectionForm]] = [
    PersonForm,
    AddressForm,
    HouseholdForm,
    EducationForm,
    ConcernsForm,
    ComplexNeedsForm,
    OtherAgenciesForm,
    QuestionsForm,
    AboutYouForm,
]


SECTIONS_BY_SLUG = {form.slug: form for form in SECTIONS}


def sections_for(referral) -> list[type[SectionForm]]:
    """The question pages of this draft. A referral recorded on someone's behalf has no
    "About you": the referrer is the contact named when it was recorded."""
    if referral.on_behalf:
        return [form for form in SECTIONS if form is not AboutYouForm]
    return list(SECTIONS)


# Which section asks each question the submit guard may name.
FIELD_SECTION = {
    name: form.slug for form in SECTIONS for name in form.base_fields if name != "local_authority"
}
FIELD_SECTION["household_members"] = HouseholdForm.slug
