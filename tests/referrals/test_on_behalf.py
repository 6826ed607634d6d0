"""Referrals recorded on someone's behalf (issue 15): the service, its rules and who sees them."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import Role
from prevent_cms.errors import ActionForbidden, GuardFailed
from referrals import services
from referrals.choices import ReceivedVia, State
from referrals.models import Referral
from referrals.selectors import Access, referral_access, referrals_visible_to
from tests.helpers import audit_actions
from tests.referrals import factories as f

PARENT = {
    "name": "Sam Parent",
    "organisation": "",
    "sector": "friends_and_family",
    "phone": "01632 960 123",
    "email": "sam.parent@example.com",
}


def prevent_lead_for(world, agency=None):
    return world.user(Role.PREVENT_LEAD, agency=agency or world.council_a)


def on_behalf(actor, *, via="phone", contact=None, received_at=None, **answers):
    return services.referral_start_on_behalf(
        actor=actor,
        received_via=via,
        received_at=received_at or timezone.now() - datetime.timedelta(hours=2),
        referrer_contact=dict(PARENT if contact is None else contact),
        data=f.complete_form(referrer_phone="", **answers),
    )


def test_officer_records_a_phone_referral_and_submits_it(world, django_capture_on_commit_callbacks):
    officer = f.officer_for(world)
    received = timezone.now() - datetime.timedelta(days=1)
    referral = on_behalf(officer, received_at=received)
    assert referral.state == State.DRAFT
    assert (referral.referrer, referral.keyed_by) == (officer, officer)
    assert referral.received_via == ReceivedVia.PHONE
    assert referral.received_at == received
    assert referral.contact_name == "Sam Parent"
    assert referral.contact_sector == "friends_and_family"
    # Their own draft: seen (as its referrer) and editable, though officers never see drafts.
    assert referrals_visible_to(officer).filter(pk=referral.pk).exists()
    services.referral_update_draft(
        referral_id=referral.pk, actor=officer, data={"concern_summary": "Said on the phone."}
    )
    with django_capture_on_commit_callbacks(execute=True):
        referral = services.referral_transition(
            referral_id=referral.pk, name="submit", actor=officer
        )
    assert referral.state == State.SUBMITTED
    assert referral.received_at == received  # not overwritten by the submission
    assert referral_access(officer, referral) == Access.FULL
    assert "referral.created" in audit_actions(object_id=str(referral.pk))
    # The receipt goes to the parent's e-mail, content-free, with no link they cannot open.
    receipts = [m for m in mail.outbox if "received" in m.subject]
    assert [m.to for m in receipts] == [["sam.parent@example.com"]]
    assert referral.subject.last_name not in receipts[0].body
    assert "http" not in receipts[0].body


def test_reviewed_feedback_goes_to_the_contact_email(world, django_capture_on_commit_callbacks):
    officer = f.officer_for(world)
    referral = on_behalf(officer)
    with django_capture_on_commit_callbacks(execute=True):
        services.referral_transition(referral_id=referral.pk, name="submit", actor=officer)
        services.referral_transition(
            referral_id=referral.pk, name="start_assessment", actor=officer
        )
        services.assessment_record(
            referral_id=referral.pk,
            actor=officer,
            data={
                "deconfliction": "cleared",
                "concern_type": "extreme_right_wing",
                "screening": "clear_vulnerability",
                "risk_summary": "Low.",
            },
        )
        services.referral_transition(
            referral_id=referral.pk,
            name="close",
            actor=officer,
            payload={"reason": "no_further_action", "rationale": "No vulnerability."},
        )
    reviewed = [m for m in mail.outbox if "reviewed" in m.subject]
    assert [m.to for m in reviewed] == [["sam.parent@example.com"]]
    assert officer.email not in [address for m in mail.outbox for address in m.to if m in reviewed]
    assert "Sam" not in reviewed[0].body + reviewed[0].subject


def test_no_contact_email_means_no_feedback_email(world, django_capture_on_commit_callbacks):
    officer = f.officer_for(world)
    referral = on_behalf(officer, contact={**PARENT, "email": ""})
    with django_capture_on_commit_callbacks(execute=True):
        services.referral_transition(referral_id=referral.pk, name="submit", actor=officer)
    assert not [m for m in mail.outbox if "received" in m.subject]


def test_a_referrer_may_not_record_on_someone_s_behalf(world):
    referrer = f.referrer_for(world)
    with pytest.raises(ActionForbidden):
        on_behalf(referrer)
    assert not Referral.objects.exists()


@pytest.mark.parametrize("role", [Role.CHANNEL_CHAIR, Role.BOROUGH_LEAD, Role.AGENCY_LEAD])
def test_other_roles_may_not_record_on_someone_s_behalf(world, role):
    with pytest.raises(ActionForbidden):
        on_behalf(world.user(role, agency=world.council_a))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"via": "online"}, "received_via"),
        ({"via": "carrier_pigeon"}, "received_via"),
        ({"received_at": timezone.now() + datetime.timedelta(hours=1)}, "received_at"),
        ({"contact": {**PARENT, "sector": "astrology"}}, "referrer_contact.sector"),
        ({"contact": {**PARENT, "name": " "}}, "referrer_contact.name"),
        ({"contact": {**PARENT, "email": "not-an-address"}}, "referrer_contact.email"),
        ({"contact": {**PARENT, "phone": "call me maybe"}}, "referrer_contact.phone"),
        ({"contact": {**PARENT, "name": "Sam\x00"}}, "referrer_contact.name"),
        ({"contact": {**PARENT, "name": "x" * 201}}, "referrer_contact.name"),
        ({"contact": {**PARENT, "password": "x"}}, "referrer_contact.password"),
    ],
)
def test_bad_route_time_or_contact_is_refused_and_saves_nothing(world, changes, field):
    officer = f.officer_for(world)
    with pytest.raises(GuardFailed) as error:
        on_behalf(officer, **changes)
    assert field in error.value.errors
    assert not Referral.objects.exists()


def test_a_naive_time_is_refused(world):
    with pytest.raises(GuardFailed) as error:
        on_behalf(f.officer_for(world), received_at=datetime.datetime(2026, 1, 1, 9, 0))
    assert "received_at" in error.value.errors


def test_submit_needs_the_same_answers_but_not_the_referrer_s_own_phone(world):
    officer = f.officer_for(world)
    referral = on_behalf(officer, subject={"postcode": ""})
    with pytest.raises(GuardFailed) as error:
        services.referral_transition(referral_id=referral.pk, name="submit", actor=officer)
    assert set(error.value.errors) == {"postcode"}


def test_a_referrer_s_own_referral_is_online_and_keyed_by_them(world):
    referral = f.submitted(world)
    assert referral.received_via == ReceivedVia.ONLINE
    assert referral.keyed_by == referral.referrer
    assert referral.received_at == referral.submitted_at


def test_prevent_lead_records_and_sees_their_authority_coarsely_until_channel(world):
    lead = prevent_lead_for(world)
    own = on_behalf(lead, via="in_person")
    assert referral_access(lead, own) == Access.COARSE
    services.referral_transition(referral_id=own.pk, name="submit", actor=lead)
    others = f.SubmittedFactory(referrer=f.referrer_for(world))
    in_b = f.SubmittedFactory(referrer=f.referrer_for(world, agency=world.school_b))
    at_panel = f.ChannelPanelFactory(referrer=f.referrer_for(world))
    draft = f.DraftFactory(referrer=f.referrer_for(world))
    visible = set(referrals_visible_to(lead).values_list("pk", flat=True))
    assert visible == {own.pk, others.pk}
    assert referral_access(lead, others) == Access.COARSE
    for hidden in (in_b, at_panel, draft):
        assert referral_access(lead, hidden) == Access.NONE


def test_agency_lead_does_not_see_referrals_its_officers_keyed(world):
    officer = f.officer_for(world)
    keyed = on_behalf(officer)
    services.referral_transition(referral_id=keyed.pk, name="submit", actor=officer)
    police_lead = world.user(Role.AGENCY_LEAD, agency=world.police_a)
    assert not referrals_visible_to(police_lead).filter(pk=keyed.pk).exists()
    assert referral_access(police_lead, keyed) == Access.NONE


def test_another_officer_does_not_see_the_draft(world):
    referral = on_behalf(f.officer_for(world))
    assert not referrals_visible_to(f.officer_for(world)).filter(pk=referral.pk).exists()


def test_officer_queue_never_holds_their_draft(world):
    from referrals.selectors import referral_queue

    officer = f.officer_for(world)
    draft = on_behalf(officer)
    assert not referral_queue(officer).filter(pk=draft.pk).exists()
    assert not referral_queue(officer, state="draft").filter(pk=draft.pk).exists()


def test_contact_lengths_are_the_columns_lengths():
    for name, field in services.CONTACT_FIELDS.items():
        assert services.CONTACT_LENGTHS[name] == Referral._meta.get_field(field).max_length
