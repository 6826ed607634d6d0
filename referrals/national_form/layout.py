"""The national referral form's layout as data: its title, sections, labels and template
prompts (DOMAIN.md §Referral form), and the draft field each label fills.

A label is matched at the start of a paragraph or table cell, and only inside its own
section, so a practitioner's sentence that happens to begin "Religion …" in the concerns box
is never read as the religion question. ``target`` names the draft field, in the words of
``services.referral_update_draft``'s ``data`` (subject fields and referral answers share one
flat namespace) or ``referrer_contact.<key>`` for the person who sent the form. A label with
no ``target`` is a question the draft has no place for: it still ends the answer before it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from ..reference_data import CONCERN_TYPES
from .values import YES_NO_OPTIONS

TITLES = ("prevent national referral form", "prevent referral form")

# Placeholder text Word and the form put in a box for the practitioner to overwrite. A box
# still holding one of these (alone, or before the answer) was not filled in.
COMMON_PROMPTS = (
    "click or tap here to enter text.",
    "click here to enter text.",
    "click or tap to enter a date.",
    "enter text here",
    "dd/mm/yyyy",
    "please give details",
    "please specify",
)


@dataclass(frozen=True)
class Question:
    """One question of the form. ``kind`` says how its answer is understood (``values``)."""

    key: str
    labels: tuple[str, ...]
    kind: str = "text"
    target: str | None = None
    prompts: tuple[str, ...] = ()
    options: tuple[tuple[str, tuple[str, ...]], ...] = ()
    columns: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    key: str
    headings: tuple[str, ...]
    questions: tuple[Question, ...] = field(default_factory=tuple)


GENDER_OPTIONS = (
    ("male", ("male", "m", "boy", "man")),
    ("female", ("female", "f", "girl", "woman")),
    ("not_known", ("not known", "unknown", "prefer not to say")),
    ("other", ("other",)),
)
# The form's words for each need; the codes are the browser form's (``forms.draft.COMPLEX_NEEDS``).
NEEDS_OPTIONS = (
    ("send", ("special educational needs or disability", "send")),
    ("mental_health", ("mental health",)),
    ("neurodiversity", ("neurodiversity (for example autism or adhd)", "neurodiversity")),
    ("victim", ("victim of crime, abuse or bullying",)),
    ("family", ("family issues",)),
    ("housing_money", ("housing or money problems",)),
    ("substance_misuse", ("drug or alcohol misuse", "substance misuse")),
    ("immigration", ("immigration issues",)),
    ("court_probation", ("involved with courts or probation", "court or probation")),
)
CONCERN_OPTIONS = tuple((code, (label.lower(),)) for code, label in CONCERN_TYPES)

CONCERN_PROMPTS = (
    "in as much detail as possible, describe the concern.",
    "please consider:",
    "how and why the person came to your notice;",
    "what was seen or heard, in the exact words used where possible;",
    "contact with groups or individuals who cause you concern;",
    "any expression of an intent to harm, or threats of violence;",
    "any interest in mass-casualty attacks or school shootings;",
    "any plans to travel to a conflict zone.",
)

SECTIONS: tuple[Section, ...] = (
    Section(
        "individual",
        ("the individual", "individual’s details"),
        (
            Question(
                "first_name", ("forename(s)", "forenames", "first name(s)"), target="first_name"
            ),
            Question("last_name", ("surname", "last name"), target="last_name"),
            Question("aliases", ("other names or aliases", "aliases"), target="aliases"),
            Question("date_of_birth", ("date of birth (dd/mm/yyyy)",), "date", "date_of_birth"),
            Question("place_of_birth", ("place of birth",), target="place_of_birth"),
            Question("gender", ("gender",), "choice", "gender", options=GENDER_OPTIONS),
            Question("address", ("current address", "known address"), target="address"),
            Question("postcode", ("postcode",), "postcode", "postcode"),
            Question("previous_addresses", ("previous addresses",), target="previous_addresses"),
            Question(
                "nationality", ("nationality or citizenship", "nationality"), target="nationality"
            ),
            Question(
                "immigration_status",
                ("immigration or asylum status", "immigration status"),
                target="immigration_status",
            ),
            Question("languages", ("languages spoken", "languages"), "list", "languages"),
            Question(
                "english_spoken",
                ("is english spoken?", "does the person speak english?"),
                "yes_no",
                "english_spoken",
                options=YES_NO_OPTIONS,
            ),
            Question("ethnicity", ("ethnicity",), target="ethnicity"),
            Question("religion", ("religion",), target="religion"),
            Question(
                "contact_details",
                ("contact numbers and e-mail addresses", "contact details"),
                target="contact_details",
            ),
            Question(
                "social_media",
                ("social media accounts or handles", "social media"),
                target="social_media",
            ),
            Question(
                "household_members",
                ("household members (name, date of birth, relationship)", "household members"),
                "grid",
                "household_members",
                columns=("name", "date_of_birth", "relationship"),
            ),
        ),
    ),
    Section(
        "education",
        ("education or employment",),
        (
            Question(
                "education_current",
                ("current school, college, university or employer",),
                target="education_or_employment",
            ),
            Question(
                "education_previous",
                ("previous school, college, university or employer",),
                target="education_or_employment",
            ),
        ),
    ),
    Section(
        "concerns",
        ("describe concerns",),
        (
            Question(
                "concern_summary",
                ("describe your concerns",),
                target="concern_summary",
                prompts=CONCERN_PROMPTS,
            ),
            Question(
                "how_concern_arose",
                ("how did the concern come to your attention?",),
                target="how_concern_arose",
            ),
            Question(
                "online_activity",
                ("online activity (what, and how do you know about it?)", "online activity"),
                target="online_activity",
            ),
        ),
    ),
    Section(
        "needs",
        ("complex needs",),
        (
            Question(
                "complex_needs",
                ("does the person have any of these needs? (tick all that apply)",),
                "options",
                "complex_needs",
                options=NEEDS_OPTIONS,
            ),
            Question("additional_needs", ("details of any needs",), target="additional_needs"),
        ),
    ),
    Section(
        "other",
        ("other information",),
        (
            Question(
                "other_agencies",
                (
                    "other agencies or professionals involved (name, role, contact)",
                    "other agencies or professionals involved",
                ),
                "grid",
                "other_agencies",
                columns=("name", "role", "contact"),
            ),
        ),
    ),
    Section(
        "questions",
        ("safeguarding considerations",),
        (
            Question(
                "discussed_with_lead",
                (
                    "have you discussed this with your designated safeguarding lead or "
                    "prevent lead?",
                ),
                "yes_no",
                "discussed_with_lead",
                options=YES_NO_OPTIONS,
            ),
            Question(
                "subject_aware",
                ("is the person, or their family, aware of this referral?",),
                "yes_no",
                "subject_aware",
                options=YES_NO_OPTIONS,
            ),
            Question(
                "action_taken",
                ("has any action been taken already? give details",),
                "details",
                "action_taken",
                options=YES_NO_OPTIONS,
            ),
            Question(
                "agencies_consulted",
                ("have other agencies been consulted? give details",),
                "details",
                options=YES_NO_OPTIONS,
            ),
            Question(
                "carer_support",
                ("if the person is under 18, are their parents or carers supportive?",),
                "details",
                options=YES_NO_OPTIONS,
            ),
        ),
    ),
    Section(
        "referrer",
        ("referrer’s details", "your details"),
        (
            Question("referrer_name", ("your name",), target="referrer_contact.name"),
            Question("referrer_role", ("your role",)),
            Question(
                "referrer_organisation", ("organisation",), target="referrer_contact.organisation"
            ),
            Question("referrer_address", ("work address",)),
            Question(
                "referrer_relationship",
                ("relationship to the person",),
                target="referrer_relationship",
            ),
            Question(
                "referrer_phone", ("telephone", "phone number"), "phone", "referrer_contact.phone"
            ),
            Question("referrer_email", ("e-mail", "email"), "email", "referrer_contact.email"),
            Question("referral_date", ("date of referral",)),
        ),
    ),
    Section(
        "concern_type",
        ("type of concern",),
        (
            Question(
                "concern_types",
                (
                    "if you think you know the type of concern, tick it (the police decide the "
                    "type of concern)",
                    "if you think you know the type of concern, tick it",
                ),
                "options",
                "concern_types",
                options=CONCERN_OPTIONS,
            ),
        ),
    ),
)

# The draft's fields the form may fill, in the form's order: a field no box filled is unread.
# ``immediate_risk`` is asked by this service, never by the national form (which tells the
# practitioner to call 999 instead), so the officer always answers it.
DRAFT_FIELDS: tuple[str, ...] = tuple(
    dict.fromkeys(
        [q.target for s in SECTIONS for q in s.questions if q.target] + ["immediate_risk"]
    )
)

# Each draft field's longest answer, from the models: a longer one is left unread.
FIELD_LABELS = {
    "first_name": _("First name"),
    "last_name": _("Last name"),
    "aliases": _("Other names"),
    "date_of_birth": _("Date of birth"),
    "place_of_birth": _("Place of birth"),
    "gender": _("Gender"),
    "address": _("Address"),
    "postcode": _("Postcode"),
    "previous_addresses": _("Previous addresses"),
    "nationality": _("Nationality"),
    "immigration_status": _("Immigration status"),
    "languages": _("Languages"),
    "english_spoken": _("Speaks English"),
    "ethnicity": _("Ethnicity"),
    "religion": _("Religion"),
    "contact_details": _("Contact details"),
    "social_media": _("Social media"),
    "household_members": _("Household members"),
    "education_or_employment": _("Education or employment"),
    "concern_summary": _("What you are worried about"),
    "how_concern_arose": _("How the concern arose"),
    "online_activity": _("Online activity"),
    "complex_needs": _("Complex needs"),
    "additional_needs": _("More about their needs"),
    "other_agencies": _("Other agencies involved"),
    "discussed_with_lead": _("Discussed with the safeguarding lead"),
    "subject_aware": _("The person or family knows"),
    "action_taken": _("Action already taken"),
    "referrer_contact.name": _("Referrer’s name"),
    "referrer_contact.organisation": _("Referrer’s organisation"),
    "referrer_relationship": _("Referrer’s relationship to the person"),
    "referrer_contact.phone": _("Referrer’s phone number"),
    "referrer_contact.email": _("Referrer’s e-mail"),
    "concern_types": _("Suggested type of concern"),
    "immediate_risk": _("Anyone in immediate danger"),
}
