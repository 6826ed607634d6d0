"""Dates that drive guards cannot be backdated before the referral, nor set in the future.

The finding: a consent dated 2010 let a parent consent for a person who is 26 today, and the
case moved into support. Consent, review, session and assessment dates must fall between the
day the referral was submitted and today, and the age rule reads the age on that date.
"""

import datetime

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from channel.models import Consent
from channel.services.assessments import vulnerability_assessment_record
from channel.services.consent import consent_record
from channel.services.interventions import intervention_session_record
from channel.services.reviews import review_record
from prevent_cms.errors import GuardFailed
from referrals import services as referral_services
from referrals.models import Referral
from tests.channel import factories as cf
from tests.channel.conftest import years_ago
from tests.helpers import date_boxes
from tests.referrals import factories as rf

pytestmark = pytest.mark.django_db

SUBMITTED = datetime.datetime(2026, 3, 3, 23, 30, tzinfo=datetime.UTC)  # 3 March, any zone
TOO_EARLY = "must be on or after the day the referral was submitted (3 March 2026)"
FUTURE = "cannot be in the future"


def _submitted_on_3_march(referral) -> Referral:
    # 23:30 UTC is still 3 March in London in winter time: the bound is the local day.
    Referral.objects.filter(pk=referral.pk).update(submitted_at=SUBMITTED)
    referral.refresh_from_db()
    return referral


def _parent_consent(day: datetime.date) -> dict:
    return {
        "given_by": "parent_or_guardian",
        "given_by_name": "Sam Parent",
        "relationship": "Mother",
        "date": day,
        "decision": "given",
    }


def _consent(team, referral, data):
    return consent_record(referral_id=referral.pk, actor=team.chair, data=data)


def test_a_consent_of_2010_cannot_let_a_parent_consent_for_an_adult(world, team):
    referral = cf.AwaitingConsentFactory(
        referrer=rf.referrer_for(world), team=team, subject__date_of_birth=years_ago(26)
    )
    referral = _submitted_on_3_march(referral)
    with pytest.raises(GuardFailed) as error:
        _consent(team, referral, _parent_consent(datetime.date(2010, 6, 1)))
    assert error.value.errors["date"] == f"The consent date {TOO_EARLY}"
    assert "given_by" not in error.value.errors  # no age read on a date out of bounds
    assert not referral.consents.exists()
    with pytest.raises(GuardFailed):
        referral_services.referral_transition(
            referral_id=referral.pk, name="consent_given", actor=team.chair, payload={}
        )
    referral.refresh_from_db()
    assert referral.state == "awaiting_consent"


def test_the_day_before_submission_is_refused_and_the_day_itself_allowed(world, team):
    referral = cf.AwaitingConsentFactory(
        referrer=rf.referrer_for(world), team=team, subject__date_of_birth=years_ago(40)
    )
    referral = _submitted_on_3_march(referral)
    data = {"given_by": "individual", "decision": "given"}
    with pytest.raises(GuardFailed) as error:
        _consent(team, referral, {**data, "date": datetime.date(2026, 3, 2)})
    assert TOO_EARLY in error.value.errors["date"]
    assert _consent(team, referral, {**data, "date": datetime.date(2026, 3, 3)})


def test_the_age_rule_reads_the_age_on_the_consent_date(world, team):
    """17 on the day of the referral, 18 today: a parent consented then, the person now."""
    dob = datetime.date(2008, 6, 1)
    referral = cf.AwaitingConsentFactory(
        referrer=rf.referrer_for(world), team=team, subject__date_of_birth=dob
    )
    referral = _submitted_on_3_march(referral)
    assert _consent(team, referral, _parent_consent(datetime.date(2026, 3, 3)))
    with pytest.raises(GuardFailed) as error:
        _consent(team, referral, _parent_consent(cf.today()))
    assert "on the consent date: consent must come from them" in error.value.errors["given_by"]


def test_a_future_consent_is_refused(world, team):
    referral = cf.AwaitingConsentFactory(
        referrer=rf.referrer_for(world), team=team, subject__date_of_birth=years_ago(40)
    )
    tomorrow = cf.today() + datetime.timedelta(days=1)
    with pytest.raises(GuardFailed) as error:
        _consent(team, referral, {"given_by": "individual", "decision": "given", "date": tomorrow})
    assert error.value.errors["date"] == "The consent date cannot be in the future"


def test_a_stored_backdated_consent_cannot_start_support(world, team):
    """A consent written before the service refused such dates does not open support."""
    referral = cf.AwaitingConsentFactory(
        referrer=rf.referrer_for(world), team=team, subject__date_of_birth=years_ago(26)
    )
    referral = _submitted_on_3_march(referral)
    Consent.objects.create(
        referral=referral, recorded_by=team.chair, **_parent_consent(datetime.date(2010, 6, 1))
    )
    with pytest.raises(GuardFailed) as error:
        referral_services.referral_transition(
            referral_id=referral.pk, name="consent_given", actor=team.chair, payload={}
        )
    assert TOO_EARLY in error.value.errors["consent"]


def test_review_dates_are_bounded(world, team):
    referral = _submitted_on_3_march(cf.SupportFactory(referrer=rf.referrer_for(world), team=team))
    data = {"kind": "panel", "risk_change": "reduced", "recommend_exit": True}
    for day, message in [
        (datetime.date(2026, 3, 2), f"The review date {TOO_EARLY}"),
        (cf.today() + datetime.timedelta(days=1), "The review date cannot be in the future"),
    ]:
        with pytest.raises(GuardFailed) as error:
            review_record(referral_id=referral.pk, actor=team.chair, data={**data, "date": day})
        assert error.value.errors["date"] == message
    assert not referral.reviews.exists()


def test_session_dates_are_bounded(world, team):
    referral = cf.SupportFactory(referrer=rf.referrer_for(world), team=team)
    intervention = cf.intervention(team, referral)
    referral = _submitted_on_3_march(referral)
    with pytest.raises(GuardFailed) as error:
        intervention_session_record(
            intervention_id=intervention.pk, actor=team.provider, date=datetime.date(2026, 3, 2)
        )
    assert error.value.errors["date"] == f"The session date {TOO_EARLY}"
    assert not intervention.sessions.exists()


def test_assessment_dates_are_bounded(world, team):
    referral = _submitted_on_3_march(cf.direct(rf.ChannelPanelFactory, world, team))
    with pytest.raises(GuardFailed) as error:
        vulnerability_assessment_record(
            referral_id=referral.pk,
            actor=team.chair,
            framework="vaf_2012",
            ratings=cf.full_ratings(),
            summary="s",
            management_plan="m",
            date=datetime.date(2026, 3, 2),
        )
    assert error.value.errors["date"] == f"The assessment date {TOO_EARLY}"


def test_api_answers_400_with_the_field_error(world, team):
    referral = cf.AwaitingConsentFactory(
        referrer=rf.referrer_for(world), team=team, subject__date_of_birth=years_ago(26)
    )
    referral = _submitted_on_3_march(referral)
    client = APIClient()
    client.force_authenticate(team.chair)
    response = client.post(
        f"/api/v1/referrals/{referral.pk}/consents/",
        {**_parent_consent(datetime.date(2010, 6, 1)), "date": "2010-06-01"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"]["date"] == [
        {"message": f"The consent date {TOO_EARLY}", "code": "invalid"}
    ]
    assert not referral.consents.exists()


def test_page_shows_the_error_in_the_govuk_summary(world, team, client):
    referral = cf.AwaitingConsentFactory(
        referrer=rf.referrer_for(world), team=team, subject__date_of_birth=years_ago(26)
    )
    referral = _submitted_on_3_march(referral)
    client.force_login(team.chair)
    response = client.post(
        reverse("channel:consent_new", args=[referral.pk]),
        {**_parent_consent(datetime.date(2010, 6, 1)), **date_boxes("date", "2010-06-01")},
    )
    assert response.status_code == 400
    html = response.content.decode()
    summary = html[html.index("govuk-error-summary") :]
    assert f"The consent date {TOO_EARLY}" in summary
    assert not referral.consents.exists()
