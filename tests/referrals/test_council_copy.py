"""Copy to the council (issue 15): when a referral is submitted, its local authority's Prevent
leads, and for an under-18 its MASH where it has one, are told — content-free."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import Role
from referrals import services
from tests.referrals import factories as f

MASH = "mash@northbridge.example.gov.uk"


def _years_ago(years: int) -> datetime.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years, day=min(today.day, 28))


@pytest.fixture
def leads(world):
    world.la_a.mash_email = MASH
    world.la_a.save()
    return {
        "a": world.user(Role.PREVENT_LEAD, agency=world.council_a, email="lead.a@example.gov.uk"),
        "b": world.user(Role.PREVENT_LEAD, agency=world.council_b, email="lead.b@example.gov.uk"),
        "chair": world.user(Role.CHANNEL_CHAIR, agency=world.council_a, email="ch@example.gov.uk"),
    }


def _submit(world, captured, **overrides):
    referral = f.draft(world, **overrides)
    with captured(execute=True):
        services.referral_transition(
            referral_id=referral.pk, name="submit", actor=referral.referrer
        )
    return referral


def _council_mails():
    return [m for m in mail.outbox if "for your area" in m.subject]


def test_the_area_s_prevent_lead_and_its_mash_are_told_of_a_child(
    world, leads, django_capture_on_commit_callbacks
):
    referral = _submit(
        world,
        django_capture_on_commit_callbacks,
        subject={"date_of_birth": _years_ago(14), "first_name": "Qxalex", "last_name": "Qxmarsh"},
    )
    sent = _council_mails()
    assert sorted(address for m in sent for address in m.to) == ["lead.a@example.gov.uk", MASH]
    for message in sent:
        text = message.subject + message.body
        assert referral.reference in message.subject
        assert "Qxalex" not in text
        assert "Qxmarsh" not in text
        assert referral.subject.postcode not in text
        assert referral.concern_summary not in text
    to_lead = next(m for m in sent if m.to == ["lead.a@example.gov.uk"])
    assert f"/referrals/{referral.pk}/" in to_lead.body  # an opaque id, nothing else
    to_mash = next(m for m in sent if m.to == [MASH])
    assert "http" not in to_mash.body  # they have no account to open it with


def test_an_adult_s_referral_is_not_copied_to_the_mash(
    world, leads, django_capture_on_commit_callbacks
):
    _submit(world, django_capture_on_commit_callbacks, subject={"date_of_birth": _years_ago(30)})
    assert [m.to for m in _council_mails()] == [["lead.a@example.gov.uk"]]


def test_another_area_s_lead_is_not_told(world, leads, django_capture_on_commit_callbacks):
    referrer_b = f.referrer_for(world, agency=world.school_b)
    _submit(world, django_capture_on_commit_callbacks, referrer=referrer_b)
    assert [m.to for m in _council_mails()] == [["lead.b@example.gov.uk"]]


def test_no_mash_configured_means_no_mash_copy(world, leads, django_capture_on_commit_callbacks):
    world.la_a.mash_email = ""
    world.la_a.save()
    _submit(world, django_capture_on_commit_callbacks, subject={"date_of_birth": _years_ago(12)})
    assert [m.to for m in _council_mails()] == [["lead.a@example.gov.uk"]]


def test_an_inactive_lead_is_not_told(world, leads, django_capture_on_commit_callbacks):
    leads["a"].is_active = False
    leads["a"].save()
    _submit(world, django_capture_on_commit_callbacks, subject={"date_of_birth": _years_ago(30)})
    assert _council_mails() == []
