"""The Channel-stage guards, the consent age rule and the panel grants."""

import datetime

import pytest
from django.utils import timezone

from channel.models import AgendaItem, AssessmentFactor, Panel
from channel.selectors import assessment_changes
from channel.services.agenda import panel_add_case, panel_remove_case
from channel.services.assessments import vulnerability_assessment_record
from channel.services.consent import consent_record
from channel.services.panels import (
    panel_create,
    panel_hold,
    panel_set_members,
    panel_update_minutes,
)
from prevent_cms.errors import GuardFailed, TransitionNotAllowed
from referrals import services as referral_services
from referrals.models import ReferralUserObjectPermission
from referrals.selectors import referrals_visible_to
from tests.channel import factories as cf
from tests.channel.conftest import years_ago

pytestmark = pytest.mark.django_db


def run(team, referral, name, **payload):
    return referral_services.referral_transition(
        referral_id=referral.pk, name=name, actor=team.chair, payload=payload
    )


def test_factories_reach_every_channel_state(world, team):
    assert cf.awaiting_consent(world, team).state == "awaiting_consent"
    assert cf.support(world, team).state == "support"
    assert cf.post_exit_review(world, team).state == "post_exit_review"
    closed = cf.closed_via_channel(world, team)
    assert closed.state == "closed"
    assert closed.closure_reason == "reviews_complete"


def test_adopt_needs_assessment_and_held_panel(world, team):
    referral = cf.channel_panel(world, team)
    with pytest.raises(GuardFailed) as error:
        run(team, referral, "adopt")
    assert set(error.value.errors) == {"vulnerability_assessment", "panel"}
    cf.assess(team, referral)
    with pytest.raises(GuardFailed) as error:
        run(team, referral, "adopt")
    assert set(error.value.errors) == {"panel"}
    cf.held_panel(world, team, referral)
    assert run(team, referral, "adopt").state == "awaiting_consent"


def test_consent_given_needs_a_given_consent(world, team):
    referral = cf.awaiting_consent(world, team, subject={"date_of_birth": years_ago(30)})
    with pytest.raises(GuardFailed) as error:
        run(team, referral, "consent_given")
    assert "consent" in error.value.errors
    cf.consent(team, referral, decision="declined")
    with pytest.raises(GuardFailed):
        run(team, referral, "consent_given")
    cf.consent(team, referral)
    assert run(team, referral, "consent_given").state == "support"


# Years and days before today, worked out when the test runs: as dates made when the module
# was collected, a run that crossed midnight in between made "18 today" 18 yesterday.
@pytest.mark.parametrize(
    ("years", "days", "given_by", "ok"),
    [
        (15, 0, "parent_or_guardian", True),
        (15, 0, "individual", False),
        (18, 0, "individual", True),  # 18 today
        (18, 0, "parent_or_guardian", False),
        (18, -1, "individual", False),  # 18 tomorrow
        (18, -1, "parent_or_guardian", True),
        (40, 0, "individual", True),
    ],
)
def test_consent_age_rule(world, team, years, days, given_by, ok):
    age_dob = years_ago(years, days=days)
    referral = cf.awaiting_consent(world, team, subject={"date_of_birth": age_dob})
    data = {
        "given_by": given_by,
        "given_by_name": "Pat Guardian",
        "relationship": "Father",
        "date": cf.today(),
        "decision": "given",
    }
    if ok:
        assert consent_record(referral_id=referral.pk, actor=team.chair, data=data)
    else:
        with pytest.raises(GuardFailed) as error:
            consent_record(referral_id=referral.pk, actor=team.chair, data=data)
        assert "given_by" in error.value.errors
        assert not referral.consents.exists()


def test_parent_consent_needs_name_and_relationship(world, team):
    referral = cf.awaiting_consent(world, team, subject={"date_of_birth": years_ago(15)})
    with pytest.raises(GuardFailed) as error:
        consent_record(
            referral_id=referral.pk,
            actor=team.chair,
            data={"given_by": "parent_or_guardian", "date": cf.today(), "decision": "given"},
        )
    assert {"given_by_name", "relationship"} <= set(error.value.errors)


def test_exit_needs_intervention_and_exit_review(world, team):
    referral = cf.support(world, team)
    with pytest.raises(GuardFailed) as error:
        run(team, referral, "exit_channel")
    assert set(error.value.errors) == {"support_plan", "review"}
    cf.intervention(team, referral)
    cf.review(team, referral, recommend_exit=False)
    with pytest.raises(GuardFailed) as error:
        run(team, referral, "exit_channel")
    assert set(error.value.errors) == {"review"}
    cf.review(team, referral, recommend_exit=True)
    assert run(team, referral, "exit_channel").state == "post_exit_review"


def test_close_reviews_complete_needs_both_reviews(world, team):
    referral = cf.a_year_after_exit(cf.post_exit_review(world, team))
    payload = {"reason": "reviews_complete", "rationale": "Done."}
    with pytest.raises(GuardFailed) as error:
        run(team, referral, "close", **payload)
    assert set(error.value.errors) == {"post_exit_6_months", "post_exit_12_months"}
    cf.review(team, referral, kind="post_exit_6_months")
    with pytest.raises(GuardFailed) as error:
        run(team, referral, "close", **payload)
    assert set(error.value.errors) == {"post_exit_12_months"}
    cf.review(team, referral, kind="post_exit_12_months")
    assert run(team, referral, "close", **payload).state == "closed"


def test_assessment_must_rate_every_factor(world, team):
    referral = cf.channel_panel(world, team)
    ratings = cf.full_ratings()
    ratings.pop("criminal_capability")
    ratings.pop("dehumanisation")
    with pytest.raises(GuardFailed) as error:
        vulnerability_assessment_record(
            referral_id=referral.pk,
            actor=team.chair,
            framework="vaf_2012",
            ratings=ratings,
            summary="s",
            management_plan="m",
        )
    message = error.value.errors["ratings"]
    assert "criminal_capability" in message
    assert "dehumanisation" in message
    assert not referral.vulnerability_assessments.exists()


def test_repeated_assessment_shows_changes(world, team):
    referral = cf.channel_panel(world, team)
    cf.assess(team, referral, "low")
    ratings = cf.full_ratings("low")
    ratings["grievance_injustice"] = "high"
    second = vulnerability_assessment_record(
        referral_id=referral.pk,
        actor=team.chair,
        framework="vaf_2012",
        ratings=ratings,
        summary="Worse.",
        management_plan="More support.",
    )
    changed = [row for row in assessment_changes(second) if row["changed"]]
    assert [(r["code"], r["previous"], r["current"]) for r in changed] == [
        ("grievance_injustice", "low", "high")
    ]


def test_vaf_has_22_factors_in_three_dimensions(reference_data):
    factors = AssessmentFactor.objects.filter(framework_id="vaf_2012")
    counts = {
        d: factors.filter(dimension=d).count() for d in ("engagement", "intent", "capability")
    }
    assert counts == {"engagement": 13, "intent": 6, "capability": 3}


def _grants(referral):
    return set(
        ReferralUserObjectPermission.objects.filter(content_object=referral).values_list(
            "user_id", flat=True
        )
    )


def test_agenda_grants_members_and_revokes_when_case_leaves_all_agendas(world, team):
    """A case is on one open agenda at a time (issue 16), so the second agenda that keeps
    the grant is a held panel's: the case stays granted after leaving the open one."""
    referral = cf.channel_panel(world, team)
    assert not referrals_visible_to(team.member).filter(pk=referral.pk).exists()
    one = panel_create(
        actor=team.chair, date=cf.today(), location="Room 1", member_ids=[team.member.pk]
    )
    two = panel_create(
        actor=team.chair,
        date=cf.today() + datetime.timedelta(days=30),
        location="Room 1",
        member_ids=[team.member.pk],
    )
    panel_add_case(panel_id=one.pk, actor=team.chair, referral_id=referral.pk)
    Panel.objects.filter(pk=one.pk).update(held_at=timezone.now())
    panel_add_case(panel_id=two.pk, actor=team.chair, referral_id=referral.pk)
    assert team.member.pk in _grants(referral)
    assert referrals_visible_to(team.member).filter(pk=referral.pk).exists()
    panel_remove_case(panel_id=two.pk, actor=team.chair, referral_id=referral.pk)
    assert team.member.pk in _grants(referral)  # still on the first (held) agenda
    Panel.objects.filter(pk=one.pk).update(held_at=None)
    panel_remove_case(panel_id=one.pk, actor=team.chair, referral_id=referral.pk)
    assert _grants(referral) == set()
    assert not referrals_visible_to(team.member).filter(pk=referral.pk).exists()


def test_grant_ends_when_the_case_closes(world, team):
    referral = cf.channel_panel(world, team)
    panel = panel_create(
        actor=team.chair, date=cf.today(), location="Room 1", member_ids=[team.member.pk]
    )
    panel_add_case(panel_id=panel.pk, actor=team.chair, referral_id=referral.pk)
    assert team.member.pk in _grants(referral)
    run(
        team,
        referral,
        "close",
        reason="not_adopted",
        signposted_to="mental_health",
        rationale="Needs health support instead.",
    )
    assert _grants(referral) == set()
    assert not referrals_visible_to(team.member).filter(pk=referral.pk).exists()


def test_bad_panel_input(world, team):
    with pytest.raises(GuardFailed) as error:
        panel_create(
            actor=team.chair, date=cf.today() - datetime.timedelta(days=1), location="Room"
        )
    assert "date" in error.value.errors
    stranger = cf.UserFactory(agency=world.council_b, roles=["panel_member"])
    with pytest.raises(GuardFailed) as error:
        panel_create(actor=team.chair, date=cf.today(), location="Room", member_ids=[stranger.pk])
    assert "members" in error.value.errors


def test_closed_case_cannot_join_an_agenda(world, team):
    referral = cf.closed_via_channel(world, team)
    panel = panel_create(actor=team.chair, date=cf.today(), location="Room")
    with pytest.raises(GuardFailed) as error:
        panel_add_case(panel_id=panel.pk, actor=team.chair, referral_id=referral.pk)
    assert "closed" in error.value.errors["referral"]
    assert not AgendaItem.objects.filter(panel=panel).exists()


def test_quorum_and_locked_minutes(world, team):
    panel = panel_create(
        actor=team.chair, date=cf.today(), location="Room", member_ids=[team.member.pk]
    )
    with pytest.raises(GuardFailed) as error:
        panel_hold(panel_id=panel.pk, actor=team.chair, attended_ids=[team.chair.pk])
    assert "police" in error.value.errors["attended"]
    panel_set_members(
        panel_id=panel.pk, actor=team.chair, member_ids=[team.member.pk, team.officer.pk]
    )
    panel_hold(
        panel_id=panel.pk,
        actor=team.chair,
        attended_ids=[team.chair.pk, team.officer.pk],
        minutes="Draft",
        sign_off=True,
    )
    with pytest.raises(TransitionNotAllowed):
        panel_update_minutes(panel_id=panel.pk, actor=team.chair, minutes="Changed")


def test_intervention_needs_a_provider(world, team):
    referral = cf.support(world, team)
    with pytest.raises(GuardFailed) as error:
        cf.intervention(team, referral, provider=None, provider_name="")
    assert "provider" in error.value.errors
    not_a_provider = cf.UserFactory(agency=world.council_a, roles=["panel_member"])
    with pytest.raises(GuardFailed):
        cf.intervention(team, referral, provider=str(not_a_provider.pk))
    assert cf.intervention(team, referral, provider=None, provider_name="Local mentoring CIC")
