"""Pages for what the API already did: minuting a case, suggested agenda, members, plan."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.models import Role
from channel import selectors
from channel.models import PanelAction, SupportPlan
from channel.services.agenda import panel_add_case
from channel.services.panels import panel_create, panel_sign_off
from referrals import services as referral_services
from referrals.models import Referral
from tests.channel import factories as cf
from tests.factories import UserFactory
from tests.helpers import date_boxes
from tests.referrals import factories as rf

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_user(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


def _scheduled(team, days=7, members=None):
    return panel_create(
        actor=team.chair,
        date=cf.today() + datetime.timedelta(days=days),
        location="Civic Centre",
        member_ids=members if members is not None else [team.officer.pk, team.member.pk],
    )


def _on_agenda(world, team):
    referral = rf.ChannelPanelFactory(
        referrer=rf.referrer_for(world), assigned_officer=team.officer
    )
    panel = _scheduled(team)
    item = panel_add_case(panel_id=panel.pk, actor=team.chair, referral_id=referral.pk)
    return panel, item


# --- 1. Minuting a case ------------------------------------------------------------------


def test_chair_records_discussion_decision_and_action(world, team, as_user):
    panel, item = _on_agenda(world, team)
    client = as_user(team.chair)
    url = reverse("channel:agenda_item", args=[panel.pk, item.pk])
    assert client.get(url).status_code == 200
    assert url in client.get(reverse("channel:panel", args=[panel.pk])).content.decode()
    due = cf.today() + datetime.timedelta(days=14)
    response = client.post(
        url,
        {
            "discussion": "School reports improved attendance.",
            "decision": "Adopt",
            "rationale": "Vulnerability is clear.",
            "action": "Arrange a mentor",
            "owner": str(team.member.pk),
            **date_boxes("due_date", due),
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.discussion == "School reports improved attendance."
    assert item.decision == "Adopt"
    action = PanelAction.objects.get(panel=panel)
    assert action.owner == team.member
    assert action.due_date == due
    assert action.referral_id == item.referral_id


def test_discussion_errors_are_in_plain_words_and_nothing_half_saved(world, team, as_user):
    panel, item = _on_agenda(world, team)
    client = as_user(team.chair)
    url = reverse("channel:agenda_item", args=[panel.pk, item.pk])
    response = client.post(url, {"discussion": ""})
    assert response.status_code == 400
    assert "Record what the panel discussed" in response.content.decode()
    response = client.post(url, {"discussion": "Talked.", "action": "Call school"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Select who owns the action" in page
    assert "Enter the date the action is due" in page
    stranger = UserFactory(agency=world.council_b, roles=[Role.PANEL_MEMBER])
    response = client.post(
        url,
        {
            "discussion": "Talked.",
            "action": "Call school",
            "owner": str(stranger.pk),
            **date_boxes("due_date", cf.today()),
        },
    )
    assert response.status_code == 400
    assert "Select an owner from the panel" in response.content.decode()
    response = client.post(
        url,
        {
            "discussion": "Talked.",
            "action": "Call school",
            "owner": str(team.officer.pk),
            **date_boxes("due_date", cf.today() - datetime.timedelta(days=1)),
        },
    )
    assert response.status_code == 400
    assert "due date must be today or in the future" in response.content.decode()
    item.refresh_from_db()
    assert item.discussion == ""
    assert not PanelAction.objects.exists()


def test_discussion_page_is_chair_only_and_locked_after_sign_off(world, team, as_user):
    referral = rf.ChannelPanelFactory(
        referrer=rf.referrer_for(world), assigned_officer=team.officer
    )
    panel = cf.held_panel(world, team, referral)
    item = panel.agenda.get()
    url = reverse("channel:agenda_item", args=[panel.pk, item.pk])
    assert as_user(team.member).get(url).status_code == 403
    client = as_user(team.chair)
    assert client.post(url, {"discussion": "Before sign-off."}).status_code == 302
    panel_sign_off(panel_id=panel.pk, actor=team.chair)
    page = client.get(url).content.decode()
    assert "signed off and locked" in page
    assert "Save discussion" not in page
    response = client.post(url, {"discussion": "Changed afterwards."})
    assert response.status_code == 400
    item.refresh_from_db()
    assert item.discussion == "Before sign-off."


# --- 2. Suggested agenda -----------------------------------------------------------------


def _declined(world, team):
    referral = cf.direct(cf.AwaitingConsentFactory, world, team)
    return referral_services.referral_transition(
        referral_id=referral.pk,
        name="close",
        actor=team.chair,
        payload={
            "reason": "consent_declined",
            "rationale": "Family declined.",
            "reassess_on": cf.today(),
        },
    )


def test_agenda_is_suggested_from_the_clocks(world, team, as_user):
    new_case = cf.direct(rf.ChannelPanelFactory, world, team)
    in_support = cf.direct(cf.SupportFactory, world, team)
    Referral.objects.filter(pk=in_support.pk).update(  # its monthly review has fallen due
        adopted_at=timezone.now() - datetime.timedelta(days=40)
    )
    declined = _declined(world, team)
    exited = cf.direct(cf.PostExitReviewFactory, world, team)
    Referral.objects.filter(pk=exited.pk).update(
        exited_at=timezone.now() - datetime.timedelta(days=190)
    )
    elsewhere = cf.direct(rf.ChannelPanelFactory, world, team)
    other = _scheduled(team, days=3)
    panel_add_case(panel_id=other.pk, actor=team.chair, referral_id=elsewhere.pk)
    panel = _scheduled(team)
    client = as_user(team.chair)
    url = reverse("channel:panel", args=[panel.pk])
    page = client.get(url).content.decode()
    suggested = page.split("Suggested for this panel", 1)[1].split("Add another case", 1)[0]
    for referral in (new_case, in_support, declined, exited):
        assert referral.reference in suggested
    assert elsewhere.reference not in suggested
    assert "6-month post-exit review due" in suggested
    assert "Consent reassessment due" in suggested
    add = reverse("channel:panel_agenda_add", args=[panel.pk])
    for referral, kind in [
        (new_case, "new_case"),
        (in_support, "review"),
        (declined, "consent_reassessment"),
        (exited, "post_exit_review"),
    ]:
        response = client.post(add, {"referral": str(referral.pk), "kind": kind})
        assert response.status_code == 302, response.content.decode()[:2000]
    kinds = dict(panel.agenda.values_list("referral_id", "kind"))
    assert kinds == {
        new_case.pk: "new_case",
        in_support.pk: "review",
        declined.pk: "consent_reassessment",
        exited.pk: "post_exit_review",
    }
    declined.refresh_from_db()
    assert declined.state == "channel_panel"
    assert "Nothing is due for a panel" in client.get(url).content.decode()


def test_a_closed_case_is_refused_without_a_due_reassessment(world, team, as_user):
    closed = cf.direct(cf.ClosedViaChannelFactory, world, team)
    panel = _scheduled(team)
    response = as_user(team.chair).post(
        reverse("channel:panel_agenda_add", args=[panel.pk]),
        {"referral": str(closed.pk), "kind": "consent_reassessment"},
    )
    assert response.status_code == 400
    assert "no consent reassessment due" in response.content.decode()
    assert not panel.agenda.exists()


# --- 3. Members --------------------------------------------------------------------------


def test_chair_changes_members_and_grants_follow(world, team, as_user):
    panel, item = _on_agenda(world, team)
    newcomer = UserFactory(agency=world.school_a, roles=[Role.PANEL_MEMBER])
    case = item.referral
    assert selectors.channel_cases_visible_to(team.member).filter(pk=case.pk).exists()
    client = as_user(team.chair)
    url = reverse("channel:panel_members", args=[panel.pk])
    page = client.get(url).content.decode()
    assert f'value="{team.chair.pk}"' not in page
    response = client.post(url, {"members": [str(team.officer.pk), str(newcomer.pk)]})
    assert response.status_code == 302
    assert set(panel.members.all()) == {team.chair, team.officer, newcomer}
    assert not selectors.channel_cases_visible_to(team.member).filter(pk=case.pk).exists()
    assert selectors.channel_cases_visible_to(newcomer).filter(pk=case.pk).exists()


def test_members_from_elsewhere_are_refused(world, team, as_user):
    panel, _item = _on_agenda(world, team)
    stranger = UserFactory(agency=world.council_c, roles=[Role.PANEL_MEMBER])
    client = as_user(team.chair)
    response = client.post(
        reverse("channel:panel_members", args=[panel.pk]), {"members": [str(stranger.pk)]}
    )
    assert response.status_code == 400
    assert "only from your local authority" in response.content.decode()
    assert stranger not in panel.members.all()
    assert (
        as_user(team.member).get(reverse("channel:panel_members", args=[panel.pk])).status_code
        == 403
    )


# --- 4. Support plan ---------------------------------------------------------------------


def test_support_plan_shows_consent_and_records_closing_report(world, team, as_user):
    referral = cf.direct(cf.AwaitingConsentFactory, world, team)
    cf.consent(team, referral, how_sought="Home visit with the school's safeguarding lead.")
    referral = cf._run(team, referral, "consent_given")
    client = as_user(team.chair)
    url = reverse("channel:support_plan", args=[referral.pk])
    page = client.get(url).content.decode()
    assert "Home visit with the school" in page
    assert escape(team.chair.display_name) in page
    assert escape(referral.consents.get().given_by_name) in page
    response = client.post(url, {"closing_report": "  "})
    assert response.status_code == 400
    assert "Enter the closing report" in response.content.decode()
    response = client.post(url, {"closing_report": "Mentoring went well; risk reduced."})
    assert response.status_code == 302
    case_page = client.get(reverse("channel:case", args=[referral.pk])).content.decode()
    assert "Mentoring went well; risk reduced." in case_page


def test_closing_report_only_at_exit(world, team, as_user):
    referral = cf.direct(cf.AwaitingConsentFactory, world, team)
    client = as_user(team.chair)
    url = reverse("channel:support_plan", args=[referral.pk])
    assert "Save closing report" not in client.get(url).content.decode()
    response = client.post(url, {"closing_report": "Too early."})
    assert response.status_code == 400
    assert "when the person exits" in response.content.decode()
    assert not SupportPlan.objects.filter(referral=referral).exclude(closing_report="").exists()
