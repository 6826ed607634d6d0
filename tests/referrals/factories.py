"""One factory per lifecycle state (STYLE.md §10), two ways.

``DraftFactory``, ``SubmittedFactory`` … write a case in its state straight to the database:
the row with the timestamps its transitions set, and the records its state implies (the
police assessment once assessed), but no history, audit or e-mail. Use them whenever a test
needs "a case in state X" and tests something else (a page, a report, an export).

``draft(world)``, ``submitted(world)`` … reach the state through the services, so the case
has the history and audit a real one would: the lifecycle tests use them, as does any test
about what a transition leaves behind. ``tests/referrals/test_state_factories.py`` checks
that both ways build the same case.
"""

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import Role
from referrals import services
from referrals.choices import ClosureReason, Deconfliction, Gender, Screening, State
from referrals.models import PoliceAssessment, Referral, Subject
from tests.factories import AgencyFactory, Sector, UserFactory

factory.Faker._DEFAULT_LOCALE = "en_GB"


class SubjectFactory(DjangoModelFactory):
    class Meta:
        model = Subject

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    date_of_birth = factory.Faker("date_of_birth", minimum_age=11, maximum_age=40)
    gender = Gender.MALE
    address = factory.Faker("street_address")
    postcode = factory.Faker("postcode")


def complete_form(**overrides) -> dict:
    """A complete referral form body, as DESIGN.md §5 names it."""
    subject = SubjectFactory.build()
    body = {
        "subject": {
            "first_name": subject.first_name,
            "last_name": subject.last_name,
            "date_of_birth": subject.date_of_birth,
            "gender": subject.gender,
            "address": subject.address,
            "postcode": subject.postcode,
            "languages": ["English"],
            "additional_needs": "",
        },
        "concern_summary": "Has been sharing extremist videos with classmates.",
        "how_concern_arose": "A classmate told their form tutor.",
        "concern_types": ["extreme_right_wing"],
        "indicators": ["Online activity"],
        "immediate_risk": False,
        "subject_aware": False,
        "discussed_with_lead": True,
        "other_agencies": [],
        "referrer_phone": "020 7946 0000",
    }
    subject_overrides = overrides.pop("subject", {})
    body["subject"].update(subject_overrides)
    body.update(overrides)
    return body


def referrer_for(world, agency=None):
    return UserFactory(agency=agency or world.school_a, roles=[Role.REFERRER])


def officer_for(world, agency=None):
    return UserFactory(agency=agency or world.police_a, roles=[Role.PREVENT_OFFICER])


def chair_for(world, agency=None):
    return UserFactory(agency=agency or world.council_a, roles=[Role.CHANNEL_CHAIR])


def draft(world, *, referrer=None, **overrides) -> Referral:
    referrer = referrer or referrer_for(world)
    return services.referral_create_draft(actor=referrer, data=complete_form(**overrides))


def submitted(world, **kwargs) -> Referral:
    referral = draft(world, **kwargs)
    return services.referral_transition(
        referral_id=referral.pk, name="submit", actor=referral.referrer
    )


def police_assessment(world, *, officer=None, **kwargs) -> Referral:
    referral = submitted(world, **kwargs)
    officer = officer or officer_for(world)
    return services.referral_transition(
        referral_id=referral.pk, name="start_assessment", actor=officer
    )


def assessed(world, *, deconfliction=Deconfliction.CLEARED, officer=None, **kwargs) -> Referral:
    officer = officer or officer_for(world)
    referral = police_assessment(world, officer=officer, **kwargs)
    services.assessment_record(
        referral_id=referral.pk,
        actor=officer,
        data={
            "deconfliction": deconfliction,
            "concern_type": "extreme_right_wing",
            "screening": Screening.CLEAR_VULNERABILITY,
            "vulnerabilities": ["Isolation"],
            "risk_summary": "Low-level but persistent interest in extremist material.",
        },
    )
    return referral


def police_led(world, *, officer=None, **kwargs) -> Referral:
    officer = officer or officer_for(world)
    referral = assessed(world, officer=officer, **kwargs)
    return services.referral_transition(
        referral_id=referral.pk,
        name="police_led_partnership",
        actor=officer,
        payload={"rationale": "Police-led partnership is proportionate."},
    )


def channel_panel(world, *, officer=None, **kwargs) -> Referral:
    officer = officer or officer_for(world)
    referral = assessed(world, officer=officer, **kwargs)
    return services.referral_transition(
        referral_id=referral.pk,
        name="refer_to_channel",
        actor=officer,
        payload={"rationale": "Clear vulnerability; multi-agency support needed."},
    )


def closed_by_police(world, *, officer=None, **kwargs) -> Referral:
    officer = officer or officer_for(world)
    referral = assessed(world, officer=officer, **kwargs)
    return services.referral_transition(
        referral_id=referral.pk,
        name="close",
        actor=officer,
        payload={"reason": "no_further_action", "rationale": "No vulnerability found."},
    )


TODAY = datetime.date.today

# What the services' path records, so both ways of building a case read alike.
CONCERN_SUMMARY = "Has been sharing extremist videos with classmates."
RISK_SUMMARY = "Low-level but persistent interest in extremist material."


def _officer_of(referral: Referral):
    """A Prevent officer of the case's own borough (a police agency made there if needed)."""
    agency = referral.local_authority.agencies.filter(
        sector=Sector.POLICE
    ).first() or AgencyFactory(local_authority=referral.local_authority, sector=Sector.POLICE)
    return UserFactory(agency=agency, roles=[Role.PREVENT_OFFICER])


class DraftFactory(DjangoModelFactory):
    """A draft written straight to the database, as ``referral_create_draft`` would save it.

    ``referrer`` decides the borough (their agency's), as the service does; pass
    ``subject__first_name=...`` and the like for the person, and any field of the form.
    """

    class Meta:
        model = Referral
        skip_postgeneration_save = True

    subject = factory.SubFactory(
        SubjectFactory,
        local_authority=factory.SelfAttribute("..referrer.agency.local_authority"),
        languages=["English"],
    )
    referrer = factory.SubFactory(UserFactory, roles=[Role.REFERRER])
    keyed_by = factory.SelfAttribute("referrer")  # the referrer's own, as the service keys it
    # A sequence, not the model's random draw: the services retry a colliding draw, a
    # factory writing rows directly cannot (200 random references collide 2 % of the time).
    reference = factory.Sequence(lambda n: f"PRV-{timezone.now().year}-{900000 + n % 100000:06d}")
    referrer_agency = factory.SelfAttribute("referrer.agency")
    local_authority = factory.SelfAttribute("referrer_agency.local_authority")
    police_force = factory.SelfAttribute("local_authority.police_force")
    concern_summary = CONCERN_SUMMARY
    how_concern_arose = "A classmate told their form tutor."
    concern_types = factory.LazyFunction(lambda: ["extreme_right_wing"])
    indicators = factory.LazyFunction(lambda: ["Online activity"])
    immediate_risk = False
    subject_aware = False
    discussed_with_lead = True
    referrer_phone = "020 7946 0000"
    urgent = factory.SelfAttribute("immediate_risk")
    state = State.DRAFT


def direct(factory: type["DraftFactory"], world, *, officer=None, subject=None, **kwargs):
    """A case of borough A written straight to the database by ``factory``: the direct twin
    of ``submitted(world, ...)`` and the others, taking their ``referrer``, ``officer`` and
    ``subject={...}`` (the person's answers; not ``local_authority``, which the services read
    from the answers but a factory takes from the referrer's agency)."""
    kwargs.setdefault("referrer", referrer_for(world))
    if officer is not None:
        kwargs["assigned_officer"] = officer
    subject = dict(subject or {})
    if "local_authority" in subject:
        raise ValueError("the borough is the referrer's: pass referrer=, or use the services")
    kwargs.update({f"subject__{name}": value for name, value in subject.items()})
    return factory(**kwargs)


class SubmittedFactory(DraftFactory):
    state = State.SUBMITTED
    submitted_at = factory.LazyFunction(timezone.now)
    # Received as it is sent (``submit``); one recorded on someone's behalf was earlier.
    received_at = factory.SelfAttribute("submitted_at")


class InPoliceAssessmentFactory(SubmittedFactory):
    """Assessment started, nothing recorded yet. ``assigned_officer`` defaults to a new
    officer of the case's borough."""

    state = State.POLICE_ASSESSMENT
    assessment_started_at = factory.LazyFunction(timezone.now)
    assigned_officer = factory.LazyAttribute(_officer_of)


class AssessedFactory(InPoliceAssessmentFactory):
    """Still in police assessment, with the assessment recorded (deconfliction cleared
    unless ``assessment__deconfliction`` says otherwise)."""

    @factory.post_generation
    def assessment(referral, create, extracted, **kwargs):
        if not create:
            return
        fields = {
            "officer": referral.assigned_officer,
            "deconfliction": Deconfliction.CLEARED,
            "concern_type_id": "extreme_right_wing",
            "screening": Screening.CLEAR_VULNERABILITY,
            "vulnerabilities": ["Isolation"],
            "risk_summary": RISK_SUMMARY,
            **kwargs,
        }
        PoliceAssessment.objects.create(referral=referral, **fields)


class PoliceLedFactory(AssessedFactory):
    state = State.POLICE_LED
    decided_at = factory.LazyFunction(timezone.now)


class ChannelPanelFactory(AssessedFactory):
    """Referred to Channel by the police: nothing recorded by the chair yet."""

    state = State.CHANNEL_PANEL
    decided_at = factory.LazyFunction(timezone.now)
    channel_entered_at = factory.SelfAttribute("decided_at")


class ClosedByPoliceFactory(AssessedFactory):
    """Closed from police assessment with no further action."""

    state = State.CLOSED
    closure_reason = ClosureReason.NO_FURTHER_ACTION
    closed_at = factory.LazyFunction(timezone.now)
    decided_at = factory.SelfAttribute("closed_at")
