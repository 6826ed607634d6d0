"""One factory per lifecycle state (STYLE.md §10). States are reached through the services,
so every factory-built case has the history and audit a real one would."""

import datetime

import factory
from factory.django import DjangoModelFactory

from accounts.models import Role
from referrals import services
from referrals.choices import Deconfliction, Gender, Screening
from referrals.models import Referral, Subject
from tests.factories import UserFactory

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
