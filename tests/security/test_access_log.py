""" "Who has seen this case": the case page shows its access log to those with full access."""

from __future__ import annotations

import itertools

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from prevent_cms.audit import audit_record_many
from prevent_cms.models import AuditEvent
from referrals import services
from referrals.selectors import referral_access_events
from tests.factories import UserFactory
from tests.referrals import factories as rf


def test_the_case_page_lists_who_saw_the_case_with_break_glass_reasons(world, client):
    officer = rf.officer_for(world)
    referral = rf.channel_panel(world, officer=officer)
    chair_b = UserFactory(agency=world.council_b, roles=[Role.CHANNEL_CHAIR])
    services.referral_break_glass(
        referral_id=referral.pk, actor=chair_b, reason="Urgent safeguarding check tonight."
    )
    client.force_login(chair_b)
    client.get(reverse("referrals:detail", args=[referral.pk]))

    client.force_login(officer)
    response = client.get(reverse("referrals:detail", args=[referral.pk]))
    log = response.context["access_log"]
    actions = [(event.actor_id, event.action) for event in log]
    assert (chair_b.pk, "referral.viewed") in actions
    assert (chair_b.pk, "referral.break_glass") in actions
    assert (officer.pk, "referral.viewed") in actions
    page = response.content.decode()
    assert "Who has seen this case" in page
    assert "Urgent safeguarding check tonight." in page
    assert chair_b.get_full_name() in page


def test_the_referrer_does_not_see_the_access_log(world, client):
    referral = rf.submitted(world)
    client.force_login(referral.referrer)
    response = client.get(reverse("referrals:detail", args=[referral.pk]))
    assert response.status_code == 200
    assert "access_log" not in response.context
    assert "Who has seen this case" not in response.content.decode()


# --- A case page whose cost is flat in the number of audit events (issue 25) ----------------

EVENTS = 5_000


def _flood(referral, people, count: int = EVENTS) -> None:
    """``count`` audit events on the case, spread over ``people`` and a few kinds of read."""
    actions = ["referral.viewed", "referral.exported", "channel.pack.downloaded"]
    share = count // (len(people) * len(actions))
    for i, (person, action) in enumerate(itertools.product(people, actions)):
        extra = count - share * len(people) * len(actions) if i == 0 else 0
        audit_record_many(
            actor=person,
            action=action,
            targets=[referral] * (share + extra),
            reason="Quarterly return",
            detail={"via": "page"},
        )


def test_the_case_page_costs_the_same_with_0_and_5000_audit_events(
    world, client, django_assert_num_queries
):
    officer = rf.officer_for(world)
    referral = rf.channel_panel(world, officer=officer)
    readers = [
        UserFactory(agency=agency, roles=[Role.CHANNEL_CHAIR])
        for agency in (world.council_a, world.health_a, world.community_a)
    ]
    url = reverse("referrals:detail", args=[referral.pk])
    client.force_login(officer)
    client.get(url)  # warm the per-process caches (content types, templates)
    with CaptureQueriesContext(connection) as first:
        quiet = client.get(url)
    assert quiet.status_code == 200

    _flood(referral, [officer, *readers])
    with django_assert_num_queries(len(first.captured_queries)):
        busy = client.get(url)

    assert busy.status_code == 200
    # Only the summary's rows for the three new readers and their agencies are new.
    assert len(busy.content) - len(quiet.content) < 4_000, (len(quiet.content), len(busy.content))
    summary = busy.context["access_summary"]
    assert summary.total == referral_access_events(referral).count() >= EVENTS
    assert {p["actor_id"] for p in summary.people} >= {officer.pk, *(r.pk for r in readers)}
    assert len(busy.context["access_log"]) == 5
    page = busy.content.decode()
    assert reverse("referrals:access_log", args=[referral.pk]) in page
    assert world.health_a.name in page


def test_who_has_seen_the_case_page_pages_through_every_event_and_is_itself_audited(world, client):
    officer = rf.officer_for(world)
    referral = rf.channel_panel(world, officer=officer)
    _flood(referral, [officer], count=120)
    url = reverse("referrals:access_log", args=[referral.pk])
    client.force_login(officer)
    before = AuditEvent.objects.count()
    logged = referral_access_events(referral).count()
    seen = []
    response = client.get(url)
    while True:
        assert response.status_code == 200
        seen += [event.pk for event in response.context["page"]]
        cursor = response.context["page"].next_cursor
        if cursor is None:
            break
        response = client.get(url, {"after": cursor})
    pages = AuditEvent.objects.count() - before
    assert pages == 3, "every page read is one audited read of the case"
    # Every event there was, and the first page's own read (later reads are newer than it).
    assert len(seen) == len(set(seen)) == logged + 1
    reads = referral_access_events(referral).filter(
        action="referral.viewed", actor=officer, detail__via="access_log"
    )
    assert reads.count() == pages
    assert 'class="govuk-pagination' in client.get(url).content.decode()


def test_only_full_access_sees_who_has_seen_the_case(world, client):
    officer = rf.officer_for(world)
    referral = rf.channel_panel(world, officer=officer)
    client.force_login(referral.referrer)
    assert client.get(reverse("referrals:access_log", args=[referral.pk])).status_code == 403
    client.force_login(UserFactory(agency=world.school_b, roles=[Role.REFERRER]))
    assert client.get(reverse("referrals:access_log", args=[referral.pk])).status_code == 404
