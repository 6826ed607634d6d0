"""Reviews that fall due by the calendar (issue 16): the post-exit review windows, an early
review's reason, closing on complete reviews, and support reviews due monthly from adoption."""

from __future__ import annotations

import datetime

import pytest
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from channel.selectors import reviews_due
from channel.services.reviews import review_record
from prevent_cms.errors import GuardFailed
from prevent_cms.models import AuditEvent
from referrals import services as referral_services
from referrals.models import Referral
from reports.compliance import channel_case_figures
from reports.periods import Period
from reports.timeliness import reviews_for
from tests.channel import factories as cf

# The defaults of CHANNEL_POST_EXIT_6_MONTH_REVIEW_OPENS_DAYS and ..._12_MONTH_...
OPENS = {"post_exit_6_months": 167, "post_exit_12_months": 350}


def exited_days_ago(world, team, days: int) -> Referral:
    referral = cf.direct(cf.PostExitReviewFactory, world, team)
    # Midday of that local day: "now minus N days" read late in the evening in winter falls
    # on the next local day in summer (BST), and the window would open a day later.
    day = cf.today() - datetime.timedelta(days=days)
    exited_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    Referral.objects.filter(pk=referral.pk).update(exited_at=exited_at)
    referral.refresh_from_db()
    return referral


def post(team, referral, kind, **extra):
    api = APIClient()
    api.force_authenticate(team.chair)
    body = {"kind": kind, "date": cf.today().isoformat(), "risk_change": "unchanged", **extra}
    return api.post(f"/api/v1/referrals/{referral.pk}/reviews/", body, format="json")


@pytest.mark.parametrize("kind", sorted(OPENS))
def test_a_post_exit_review_opens_on_its_day_and_not_the_day_before(world, team, kind):
    day_before = exited_days_ago(world, team, OPENS[kind] - 1)
    response = post(team, day_before, kind)
    assert response.status_code == 400
    opens = cf.today() + datetime.timedelta(days=1)
    assert f"{opens:%-d %B %Y}" in response.json()["errors"]["date"][0]["message"]
    on_the_day = exited_days_ago(world, team, OPENS[kind])
    assert post(team, on_the_day, kind).status_code == 201


def test_an_early_review_needs_a_reason_is_audited_and_counted(world, team):
    referral = cf.direct(cf.PostExitReviewFactory, world, team)  # exited today
    assert post(team, referral, "post_exit_6_months").status_code == 400
    early = post(team, referral, "post_exit_6_months", early_reason="moved_away")
    assert early.status_code == 201, early.json()
    assert early.json()["early_reason"] == "moved_away"
    assert AuditEvent.objects.filter(
        action="channel.review_recorded",
        object_id=str(referral.pk),
        detail__early_reason="moved_away",
    ).exists()
    other = post(team, referral, "post_exit_12_months", early_reason="other")
    assert other.status_code == 400
    assert "notes" in other.json()["errors"]
    assert (
        post(team, referral, "post_exit_12_months", early_reason="died", notes="").status_code
        == 201
    )
    today = cf.today()
    figures = channel_case_figures(
        local_authority=referral.local_authority, period=Period(start=today, end=today)
    )
    assert figures["post_exit_6_months_early"] == 1
    assert figures["post_exit_12_months_early"] == 1
    closed = referral_services.referral_transition(
        referral_id=referral.pk,
        name="close",
        actor=team.chair,
        payload={"reason": "reviews_complete", "rationale": "Moved away, then died."},
    )
    assert closed.state == "closed"


def test_reviews_complete_needs_both_in_their_windows_or_with_a_reason(world, team):
    """A review recorded early with no reason (before this rule) does not complete them."""
    referral = cf.a_year_after_exit(cf.direct(cf.PostExitReviewFactory, world, team))
    cf.review(team, referral, kind="post_exit_6_months")
    twelve = cf.review(team, referral, kind="post_exit_12_months")
    early_day = timezone.localdate(referral.exited_at) + datetime.timedelta(days=10)
    type(twelve).objects.filter(pk=twelve.pk).update(date=early_day)
    payload = {"reason": "reviews_complete", "rationale": "Both done."}
    with pytest.raises(GuardFailed) as error:
        referral_services.referral_transition(
            referral_id=referral.pk, name="close", actor=team.chair, payload=payload
        )
    assert set(error.value.errors) == {"post_exit_12_months"}
    type(twelve).objects.filter(pk=twelve.pk).update(early_reason="in_custody")
    closed = referral_services.referral_transition(
        referral_id=referral.pk, name="close", actor=team.chair, payload=payload
    )
    assert closed.state == "closed"


@override_settings(CHANNEL_POST_EXIT_6_MONTH_REVIEW_OPENS_DAYS=10)
def test_the_window_is_a_setting(world, team):
    referral = exited_days_ago(world, team, 10)
    review = review_record(
        referral_id=referral.pk,
        actor=team.chair,
        data={"kind": "post_exit_6_months", "date": cf.today(), "risk_change": "reduced"},
    )
    assert review.early_reason == ""


def test_support_reviews_fall_due_monthly_from_adoption(world, team):
    referral = cf.direct(cf.SupportFactory, world, team)
    assert referral not in reviews_due(team.chair)  # adopted today: due in a month
    Referral.objects.filter(pk=referral.pk).update(
        adopted_at=timezone.now() - datetime.timedelta(days=31)
    )
    assert referral in reviews_due(team.chair)
    cf.review(team, referral)
    assert referral not in reviews_due(team.chair)
    with override_settings(CHANNEL_SUPPORT_REVIEW_INTERVAL_DAYS=7):
        Referral.objects.filter(pk=referral.pk).update(
            adopted_at=timezone.now() - datetime.timedelta(days=8)
        )
        referral.reviews.update(date=cf.today() - datetime.timedelta(days=8))
        assert referral in reviews_due(team.chair)


def _days_ago(days: int) -> datetime.datetime:
    day = cf.today() - datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def _overdue(world) -> dict[str, int]:
    today = cf.today()
    figures = reviews_for(local_authority=world.la_a, period=Period(today, today), today=today)
    return {key: value for key, value in figures.items() if "overdue" in key}


def test_the_report_counts_reviews_overdue_by_their_due_rules(world, team):
    """Not "no review in the last 30 days" (issue 16): a support review is due a month after
    adoption, then a month after the latest review; a consent reassessment on its date; a
    post-exit review 6 and 12 months after exit. Overdue from the due day: the clock
    registry's one rule (issue 17), read by the report and the chair's list alike."""
    adopted_recently = cf.direct(cf.SupportFactory, world, team)  # adopted 10 days ago: not due yet
    Referral.objects.filter(pk=adopted_recently.pk).update(adopted_at=_days_ago(10))
    first_late = cf.direct(
        cf.SupportFactory, world, team
    )  # adopted 31 days ago, never reviewed: overdue
    Referral.objects.filter(pk=first_late.pk).update(adopted_at=_days_ago(31))
    first_on_time = cf.direct(
        cf.SupportFactory, world, team
    )  # adopted 30 days ago: due today, so overdue
    Referral.objects.filter(pk=first_on_time.pk).update(adopted_at=_days_ago(30))
    reviewed = cf.direct(cf.SupportFactory, world, team)  # reviewed 29 days ago: not due yet
    Referral.objects.filter(pk=reviewed.pk).update(adopted_at=_days_ago(90))
    cf.review(team, reviewed)
    reviewed.reviews.update(date=cf.today() - datetime.timedelta(days=29))
    readopted = cf.direct(
        cf.SupportFactory, world, team
    )  # re-adopted 5 days ago after a review 40 days ago
    cf.review(team, readopted)
    readopted.reviews.update(date=cf.today() - datetime.timedelta(days=40))
    Referral.objects.filter(pk=readopted.pk).update(adopted_at=_days_ago(5))
    declined = cf.direct(cf.ClosedViaChannelFactory, world, team)
    passed = cf.direct(cf.ClosedViaChannelFactory, world, team)
    for case, days in ((declined, 0), (passed, 1)):  # due today and yesterday: both overdue
        Referral.objects.filter(pk=case.pk).update(
            closure_reason="consent_declined",
            reassess_on=cf.today() - datetime.timedelta(days=days),
        )
    exited = cf.direct(cf.PostExitReviewFactory, world, team)
    Referral.objects.filter(pk=exited.pk).update(exited_at=_days_ago(183))

    assert _overdue(world) == {
        "overdue_reviews": 5,
        "overdue_support_reviews": 2,
        "overdue_consent_reassessments": 2,
        "post_exit_6_months_overdue": 1,
        "post_exit_12_months_overdue": 0,
    }
    # The same rule as the chair's list of reviews due.
    due = set(reviews_due(team.chair))
    assert {first_late, first_on_time} <= due
    assert not {adopted_recently, reviewed, readopted} & due
    with override_settings(CHANNEL_SUPPORT_REVIEW_INTERVAL_DAYS=7):
        # Adopted 10, 30 and 31 days ago, and reviewed 29 days ago; not re-adopted 5 days ago.
        assert _overdue(world)["overdue_support_reviews"] == 4
    figures = channel_case_figures(
        local_authority=world.la_a, period=Period(cf.today(), cf.today()), today=cf.today()
    )
    assert figures["overdue_reviews"] == 5
    assert figures["overdue_support_reviews"] == 2
    assert figures["overdue_consent_reassessments"] == 2
