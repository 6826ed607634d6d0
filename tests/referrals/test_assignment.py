"""Assignment (issue 17): officers assign a case to themselves or a colleague of the force,
chairs name a case lead; history and audit; the queue defaults to the triage stages."""

import pytest
from django.urls import reverse

from accounts.models import Role, User
from prevent_cms.errors import ActionForbidden
from prevent_cms.models import AuditEvent
from referrals import services
from referrals.choices import State
from referrals.models import Referral, ReferralAssignment
from tests.channel.factories import AwaitingConsentFactory
from tests.factories import UserFactory
from tests.referrals.factories import (
    ChannelPanelFactory,
    InPoliceAssessmentFactory,
    SubmittedFactory,
    chair_for,
    officer_for,
    referrer_for,
)


@pytest.fixture
def officer(world):
    return officer_for(world)


def test_an_officer_assigns_a_case_to_themself_then_a_colleague(world, officer):
    referral = SubmittedFactory(referrer=referrer_for(world))
    colleague = officer_for(world, agency=world.police_a)
    services.referral_assign(referral_id=referral.pk, actor=officer, assignee_id=officer.pk)
    services.referral_assign(referral_id=referral.pk, actor=officer, assignee_id=colleague.pk)
    referral.refresh_from_db()
    assert referral.assigned_officer == colleague
    history = list(referral.assignments.values_list("assignee", "previous", "actor"))
    assert history == [(officer.pk, None, officer.pk), (colleague.pk, officer.pk, officer.pk)]
    events = AuditEvent.objects.filter(action="referral.assigned", object_id=str(referral.pk))
    assert events.count() == 2


def test_assigning_the_same_person_again_records_nothing(world, officer):
    referral = SubmittedFactory(referrer=referrer_for(world))
    for _ in range(2):
        services.referral_assign(referral_id=referral.pk, actor=officer, assignee_id=officer.pk)
    assert referral.assignments.count() == 1


def test_an_officer_of_another_force_is_not_an_assignee(world, officer):
    referral = SubmittedFactory(referrer=referrer_for(world))
    stranger = UserFactory(agency=world.police_c, roles=[Role.PREVENT_OFFICER])
    with pytest.raises(User.DoesNotExist):
        services.referral_assign(referral_id=referral.pk, actor=officer, assignee_id=stranger.pk)
    teacher = referrer_for(world)
    with pytest.raises(User.DoesNotExist):
        services.referral_assign(referral_id=referral.pk, actor=officer, assignee_id=teacher.pk)


def test_an_officer_of_another_force_cannot_see_the_case_to_assign_it(world):
    referral = SubmittedFactory(referrer=referrer_for(world))
    stranger = UserFactory(agency=world.police_c, roles=[Role.PREVENT_OFFICER])
    with pytest.raises(Referral.DoesNotExist):
        services.referral_assign(referral_id=referral.pk, actor=stranger, assignee_id=stranger.pk)


def test_the_officer_cannot_assign_once_the_case_is_in_channel(world, officer):
    referral = ChannelPanelFactory(referrer=referrer_for(world))
    with pytest.raises(ActionForbidden):
        services.referral_assign(referral_id=referral.pk, actor=officer, assignee_id=officer.pk)


def test_the_chair_names_a_case_lead_in_channel(world):
    chair = chair_for(world)
    other_chair = chair_for(world)
    referral = AwaitingConsentFactory(referrer=referrer_for(world))
    services.referral_assign(
        referral_id=referral.pk, actor=chair, assignee_id=other_chair.pk, role="case_lead"
    )
    referral.refresh_from_db()
    assert referral.case_lead == other_chair
    assert referral.assignments.get().role == ReferralAssignment.AssignmentRole.CASE_LEAD


def test_the_queue_defaults_to_the_triage_stages_with_assigned_to_me(client, world, officer):
    mine = InPoliceAssessmentFactory(referrer=referrer_for(world), assigned_officer=officer)
    waiting = SubmittedFactory(referrer=referrer_for(world))
    in_channel = ChannelPanelFactory(referrer=referrer_for(world))
    client.force_login(officer)
    body = client.get(reverse("referrals:queue")).content.decode()
    assert mine.reference in body
    assert waiting.reference in body
    assert in_channel.reference not in body
    every = client.get(reverse("referrals:queue") + "?state=").content.decode()
    assert in_channel.reference in every
    assigned = client.get(reverse("referrals:queue") + "?state=triage&assigned=me")
    body = assigned.content.decode()
    assert mine.reference in body
    assert waiting.reference not in body


def test_assign_to_me_from_the_case_page(client, world, officer):
    referral = SubmittedFactory(referrer=referrer_for(world))
    client.force_login(officer)
    page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "Assign to me" in page
    response = client.post(
        reverse("referrals:assign", args=[referral.pk]), {"assignee": officer.pk}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.assigned_officer == officer
    assert referral.state == State.SUBMITTED
    page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "Assignments" in page


def test_the_assign_page_refuses_a_referrer(client, world):
    referral = SubmittedFactory(referrer=referrer_for(world))
    client.force_login(referral.referrer)
    response = client.post(
        reverse("referrals:assign", args=[referral.pk]), {"assignee": referral.referrer.pk}
    )
    assert response.status_code == 403


def test_the_api_assigns_and_answers_the_detail(client, world, officer):
    referral = SubmittedFactory(referrer=referrer_for(world))
    client.force_login(officer)
    url = reverse("api:referral-assign", args=[referral.pk])
    response = client.post(url, {"assignee": str(officer.pk)}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["assigned_officer"]["id"] == str(officer.pk)
    bad = client.post(url, {"assignee": "1"}, content_type="application/json")
    assert bad.status_code == 400
    stranger = UserFactory(agency=world.police_c, roles=[Role.PREVENT_OFFICER])
    client.force_login(stranger)
    response = client.post(url, {"assignee": str(stranger.pk)}, content_type="application/json")
    assert response.status_code == 404


def test_the_posted_filters_keep_the_default_stage_out_of_the_url(client, world, officer):
    client.force_login(officer)
    queue = reverse("referrals:queue")
    default = client.post(queue, {"state": "triage", "assigned": "me"})
    assert default.url == queue + "?assigned=me"
    every = client.post(queue, {"state": ""})
    assert every.url == queue + "?state="
