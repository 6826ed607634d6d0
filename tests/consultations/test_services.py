"""Recording, changing and linking consultations (consultations.services)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from accounts.models import Role
from consultations import services
from consultations.models import Consultation, Outcome
from prevent_cms.errors import ActionForbidden, InvalidInput, PreconditionFailed
from prevent_cms.models import AuditEvent
from tests.referrals import factories as rf

from .factories import consultation, consultation_data

pytestmark = pytest.mark.django_db


def test_an_officer_records_a_consultation_for_their_force(world):
    officer = rf.officer_for(world)
    made = consultation(officer, world.la_b)
    assert made.police_force == world.force
    assert made.local_authority == world.la_b
    assert made.recorded_by == officer
    event = AuditEvent.objects.get(action="consultation.recorded")
    assert event.object_id == str(made.pk)
    assert "Qxconcern" not in str(event.detail)


def test_a_local_authority_of_another_force_is_refused(world):
    with pytest.raises(InvalidInput) as error:
        consultation(rf.officer_for(world), world.la_c)
    assert "local_authority" in error.value.field_errors
    assert not Consultation.objects.exists()


@pytest.mark.parametrize(
    "role",
    [
        Role.REFERRER,
        Role.AGENCY_LEAD,
        Role.CHANNEL_CHAIR,
        Role.PANEL_MEMBER,
        Role.INTERVENTION_PROVIDER,
        Role.BOROUGH_LEAD,
    ],
)
def test_other_roles_may_not_record(world, role):
    with pytest.raises(ActionForbidden):
        consultation(world.user(role, agency=world.police_a))


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"asker_name": ""}, "asker_name"),
        ({"summary": "  "}, "summary"),
        ({"advice": ""}, "advice"),
        ({"outcome": "maybe"}, "outcome"),
        ({"asker_sector": "nowhere"}, "asker_sector"),
        ({"outcome": "referred_elsewhere"}, "referred_to"),
        ({"subject_initials": "John"}, "subject_initials"),
        ({"subject_initials": "J1"}, "subject_initials"),
        ({"subject_age_band": "ancient"}, "subject_age_band"),
        ({"summary": "x" * 5001}, "summary"),
        ({"advice": "bad\x00byte"}, "advice"),
        ({"consulted_on": None}, "consulted_on"),
        # A month ahead: collected before a run that may cross midnight.
        ({"consulted_on": timezone.localdate() + datetime.timedelta(days=30)}, "consulted_on"),
    ],
)
def test_what_is_wrong_is_named_and_nothing_is_saved(world, overrides, field):
    with pytest.raises(InvalidInput) as error:
        consultation(rf.officer_for(world), **overrides)
    assert field in error.value.field_errors
    assert not Consultation.objects.exists()


def test_referred_elsewhere_says_where_and_only_then(world):
    officer = rf.officer_for(world)
    sent = consultation(officer, outcome="referred_elsewhere", referred_to="mash")
    assert sent.referred_to == "mash"
    kept = consultation(officer, outcome="no_referral_needed", referred_to="mash")
    assert kept.referred_to == ""


def test_an_edit_is_audited_by_field_names_only_and_raises_the_version(world):
    officer = rf.officer_for(world)
    made = consultation(officer)
    changed = services.consultation_update(
        consultation_id=made.pk,
        actor=officer,
        data={"advice": "Qxnewadvice", "outcome": "no_referral_needed"},
        expected_version=1,
    )
    assert changed.version == 2
    assert changed.advice == "Qxnewadvice"
    assert changed.asker_name == "Alex Morgan"  # not sent: kept
    event = AuditEvent.objects.get(action="consultation.changed")
    assert event.detail["fields"] == ["advice", "outcome"]
    assert "Qxnewadvice" not in str(event.detail)


def test_an_edit_from_a_stale_reading_changes_nothing(world):
    officer = rf.officer_for(world)
    made = consultation(officer)
    services.consultation_update(consultation_id=made.pk, actor=officer, data={"advice": "One"})
    with pytest.raises(PreconditionFailed):
        services.consultation_update(
            consultation_id=made.pk, actor=officer, data={"advice": "Two"}, expected_version=1
        )
    assert Consultation.objects.get(pk=made.pk).advice == "One"


def test_an_edit_that_changes_nothing_writes_nothing(world):
    officer = rf.officer_for(world)
    made = consultation(officer)
    services.consultation_update(consultation_id=made.pk, actor=officer, data={})
    assert Consultation.objects.get(pk=made.pk).version == 1
    assert not AuditEvent.objects.filter(action="consultation.changed").exists()


@pytest.mark.parametrize("who", ["officer_other_force", "referrer", "chair"])
def test_out_of_scope_edits_are_not_found(world, who):
    made = consultation(rf.officer_for(world))
    actor = {
        "officer_other_force": lambda: rf.officer_for(world, world.police_c),
        "referrer": lambda: rf.referrer_for(world),
        "chair": lambda: rf.chair_for(world),
    }[who]()
    with pytest.raises(Consultation.DoesNotExist):
        services.consultation_update(consultation_id=made.pk, actor=actor, data={"advice": "x"})


def test_linking_to_a_visible_referral_makes_the_outcome_referral_made(world):
    officer = rf.officer_for(world)
    made = consultation(officer, outcome="referred_elsewhere", referred_to="mash")
    referral = rf.direct(rf.SubmittedFactory, world)
    linked = services.consultation_link(
        consultation_id=made.pk, actor=officer, reference=referral.reference.lower()
    )
    assert linked.referral == referral
    assert linked.outcome == Outcome.REFERRAL_MADE
    assert linked.referred_to == ""
    again = services.consultation_link(
        consultation_id=made.pk, actor=officer, referral_id=referral.pk
    )
    assert again.version == linked.version  # a retry changes nothing
    assert AuditEvent.objects.filter(action="consultation.linked").count() == 1


@pytest.mark.parametrize("which", ["draft", "other_force", "missing", "not_a_reference"])
def test_a_referral_the_officer_may_not_see_cannot_be_linked(world, which):
    officer = rf.officer_for(world)
    made = consultation(officer)
    reference = {
        "draft": lambda: rf.direct(rf.DraftFactory, world).reference,
        "other_force": lambda: rf.direct(
            rf.SubmittedFactory, world, referrer=rf.referrer_for(world, world.school_c)
        ).reference,
        "missing": lambda: "PRV-2026-999999",
        "not_a_reference": lambda: "Smith",
    }[which]()
    with pytest.raises(InvalidInput) as error:
        services.consultation_link(consultation_id=made.pk, actor=officer, reference=reference)
    assert "referral" in error.value.field_errors
    assert Consultation.objects.get(pk=made.pk).referral is None


def test_consultation_data_needs_no_full_name(world):
    assert "subject" not in consultation_data()
    assert not {"first_name", "last_name", "date_of_birth"} & {
        f.name for f in Consultation._meta.get_fields()
    }
