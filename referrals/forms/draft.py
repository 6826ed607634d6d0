"""The referral form's question pages.

Each section of the national referral form (DOMAIN.md §Referral form) is one form that
validates on its own and turns its answers into the ``data`` that
``services.referral_update_draft`` takes. Messages are in the words a practitioner uses.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import LocalAuthority

from ..choices import Gender
from ..models import ConcernType
from .fields import DateOfBirthField, GovForm, Text, YesNo, split_lines

MAX_AGE_YEARS = 120


def _yes_no(value) -> str | None:
    if value is None:
        return None
    return "yes" if value else "no"


def _bool(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class SectionForm(GovForm):
    """A question page of the referral form."""

    slug = ""
    title = ""
    required_fields: tuple[str, ...] = ()

    @classmethod
    def initial_for(cls, referral) -> dict:
        return {}

    def to_data(self) -> dict:
        raise NotImplementedError


class PersonForm(SectionForm):
    slug = "person"
    title = _("About the person")
    required_fields = ("first_name", "last_name", "date_of_birth", "gender")

    first_name = Text(
        label=_("First name"), max_length=100, required=True,
        required_message=_("Enter the person’s first name"),
    )  # fmt: skip
    last_name = Text(
        label=_("Last name"), max_length=100, required=True,
        required_message=_("Enter the person’s last name"),
    )  # fmt: skip
    aliases = Text(label=_("Other names they use (optional)"), max_length=200)
    date_of_birth = DateOfBirthField(
        label=_("Date of birth"), help_text=_("For example, 27 3 2010")
    )
    gender = forms.ChoiceField(
        label=_("Gender"),
        choices=Gender.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the person’s gender")},
    )
    nationality = Text(label=_("Nationality (optional)"), max_length=100)
    languages = Text(
        label=_("Languages they speak (optional)"),
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
            "gender": s.gender,
            "nationality": s.nationality,
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
                "gender": d["gender"],
                "nationality": d["nationality"],
                "languages": languages,
                "religion": d["religion"],
                "ethnicity": d["ethnicity"],
            }
        }


class AddressForm(SectionForm):
    slug = "address"
    title = _("Address and local authority")
    required_fields = ("address", "postcode")

    address = Text(
        label=_("Current address"), max_length=500, required=True, textarea=True,
        required_message=_("Enter the person’s address"),
    )  # fmt: skip
    postcode = Text(
        label=_("Postcode"), max_length=10, required=True,
        required_message=_("Enter the person’s postcode"),
    )  # fmt: skip
    local_authority = forms.ModelChoiceField(
        label=_("Local authority where the person lives"),
        queryset=LocalAuthority.objects.order_by("name"),
        empty_label=None,
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
            "local_authority": referral.local_authority_id,
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


class ConcernsForm(SectionForm):
    slug = "concerns"
    title = _("Your concerns")
    required_fields = ("concern_summary", "how_concern_arose", "immediate_risk")

    immediate_risk = YesNo(
        label=_("Is anyone in immediate danger?"),
        required_message=_("Say whether anyone is in immediate danger"),
    )
    concern_summary = Text(
        label=_("What are you worried about?"),
        help_text=_("Say what you saw or heard, using the person’s exact words if you can"),
        max_length=5000, required=True, textarea=True,
        required_message=_("Describe what you are worried about"),
    )  # fmt: skip
    how_concern_arose = Text(
        label=_("How did the concern come to your attention?"),
        max_length=5000, required=True, textarea=True,
        required_message=_("Describe how the concern arose"),
    )  # fmt: skip
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
            (c.code, c.label) for c in ConcernType.objects.filter(active=True)
        ]

    @classmethod
    def initial_for(cls, referral) -> dict:
        return {
            "immediate_risk": _yes_no(referral.immediate_risk),
            "concern_summary": referral.concern_summary,
            "how_concern_arose": referral.how_concern_arose,
            "online_activity": referral.online_activity,
            "concern_types": referral.concern_types,
        }

    def to_data(self) -> dict:
        d = self.cleaned_data
        return {
            "immediate_risk": _bool(d["immediate_risk"]),
            "concern_summary": d["concern_summary"],
            "how_concern_arose": d["how_concern_arose"],
            "online_activity": d["online_activity"],
            "concern_types": list(d["concern_types"]),
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

    @classmethod
    def initial_for(cls, referral) -> dict:
        return {"other_agencies": "\n".join(agency_line(a) for a in referral.other_agencies or [])}

    def to_data(self) -> dict:
        """Each line becomes ``{"name", "role", "contact"}``, the shape the API stores."""
        agencies = []
        for line in split_lines(self.cleaned_data["other_agencies"]):
            name, role, contact = ([part.strip() for part in line.split(",", 2)] + ["", ""])[:3]
            agencies.append({"name": name, "role": role, "contact": contact})
        return {"other_agencies": agencies}


def agency_line(agency) -> str:
    """One other agency as the text the form shows: "name, role, contact"."""
    if isinstance(agency, dict):
        parts = [agency.get("name", ""), agency.get("role", ""), agency.get("contact", "")]
        return ", ".join(part for part in parts if part)
    return str(agency)


class QuestionsForm(SectionForm):
    slug = "questions"
    title = _("Questions about the referral")
    required_fields = ("subject_aware",)

    discussed_with_lead = YesNo(
        label=_("Have you discussed this with your designated safeguarding lead or Prevent lead?"),
        required_message=_("Say whether you have discussed this with your safeguarding lead"),
    )
    subject_aware = YesNo(
        label=_("Does the person, or their family, know about this referral?"),
        required_message=_("Say whether the person knows about this referral"),
    )
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


class AboutYouForm(SectionForm):
    slug = "you"
    title = _("About you")
    required_fields = ("referrer_phone",)

    referrer_phone = Text(
        label=_("Your phone number"), max_length=40, required=True,
        help_text=_("A Prevent officer may call you to talk about the referral"),
        required_message=_("Enter your phone number"),
    )  # fmt: skip
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
