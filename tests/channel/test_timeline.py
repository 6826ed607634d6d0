"""One chronology of a case (issue 16): every kind, newest first, as each reader may see it.

The case below has one event of every kind, each carrying a marker string; each role's
timeline (API and page) is checked against what DESIGN.md §3 lets that role see, kind by
kind and field by field.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import Role
from channel.models import AgendaItem, Consent, Review
from channel.pdf import add_since_last_panel, build_pack, pack_context
from channel.services.agenda import agenda_item_record, panel_add_case
from channel.services.interventions import intervention_session_record
from channel.services.panels import agency_update_add, panel_action_add, panel_create
from persons import services as referral_link_services
from prevent_cms.models import AuditEvent
from referrals import services as referral_services
from referrals.models import CaseNote
from referrals.timeline import timeline_kinds
from tests.channel import factories as cf
from tests.channel.test_pack import text_of
from tests.factories import UserFactory
from tests.referrals import factories as rf

MARK = {
    "risk": "RISK-SUMMARY-MARKER",
    "note": "NOTE-TEXT-MARKER",
    "file": "FILE-DESCRIPTION-MARKER",
    "glass": "BREAK-GLASS-REASON-MARKER",
    "refer": "Clear vulnerability; multi-agency support needed.",
    "discussion": "PANEL-DISCUSSION-MARKER",
    "action": "PANEL-ACTION-MARKER",
    "update": "AGENCY-UPDATE-MARKER",
    "vaf": "Vulnerable to grooming online.",
    "consent": "Happy to meet a mentor.",
    "session": "OWN-SESSION-MARKER",
    "other_session": "OTHER-SESSION-MARKER",
    "review": "Engaging well.",
}
POLICE_SIDE = ("risk", "note", "file", "glass", "refer")
PANEL_SIDE = ("discussion", "action", "update", "vaf", "consent", "review")
EVERY_KIND = {
    "submission",
    "transition",
    "police_assessment",
    "note",
    "attachment",
    "panel",
    "vulnerability_assessment",
    "consent",
    "intervention",
    "review",
    "break_glass",
    "person_link",  # issue 18: links to a person
    "transfer",  # issue 18: transfers between areas
}


@pytest.fixture
def case(world, team):
    """A case in support with one event of every kind, two providers' interventions."""
    referral = cf.support(world, team)
    police = referral.assessments.get()
    police.risk_summary = MARK["risk"]
    police.save()
    referral_services.note_add(
        referral_id=referral.pk, actor=team.officer, text=MARK["note"], kind="opinion"
    )
    referral_services.attachment_add(
        referral_id=referral.pk,
        actor=team.officer,
        upload=SimpleUploadedFile("a.txt", b"plain text", content_type="text/plain"),
        description=MARK["file"],
    )
    other_chair = UserFactory(agency=world.council_b, roles=[Role.CHANNEL_CHAIR])
    referral_services.referral_break_glass(
        referral_id=referral.pk, actor=other_chair, reason=MARK["glass"]
    )
    item = AgendaItem.objects.get(referral=referral)
    agenda_item_record(
        item_id=item.pk, actor=team.chair, discussion=MARK["discussion"], decision="Adopt"
    )
    panel_action_add(
        panel_id=item.panel_id,
        actor=team.chair,
        description=MARK["action"],
        owner_name="Youth service",
        referral_id=referral.pk,
    )
    agency_update_add(
        panel_id=item.panel_id, referral_id=referral.pk, actor=team.member, text=MARK["update"]
    )
    own = cf.intervention(team, referral)
    intervention_session_record(
        intervention_id=own.pk, actor=team.provider, date=cf.today(), notes=MARK["session"]
    )
    other_provider = UserFactory(
        agency=world.community_a, roles=[Role.INTERVENTION_PROVIDER], first_name="Other"
    )
    other = cf.intervention(team, referral, provider=str(other_provider.pk), type="education")
    intervention_session_record(
        intervention_id=other.pk, actor=other_provider, date=cf.today(), notes=MARK["other_session"]
    )
    cf.review(team, referral)
    # Issue 18: the officer says another referral's person is not this case's person.
    elsewhere = rf.submitted(world)
    elsewhere.refresh_from_db()
    referral_link_services.referral_reject_match(
        referral_id=referral.pk, actor=team.officer, person_id=elsewhere.person_id, reason="Not so."
    )
    referral_link_services.referral_transfer(
        referral_id=referral.pk,
        actor=team.officer,
        to_local_authority_id=world.la_b.pk,
        reason="Moving to Southmere.",
    )
    referral.other_provider = other_provider
    return referral


def timeline(user, referral, **params):
    client = APIClient()
    client.force_authenticate(user)
    url = reverse("api:referral-timeline", args=[referral.pk])
    return client.get(url, {"page_size": 100, **params})


def kinds_of(response) -> set[str]:
    return {entry["kind"] for entry in response.json()["results"]}


def test_every_kind_is_registered_once():
    assert {kind for kind, _label in timeline_kinds()} == EVERY_KIND


def test_full_access_sees_every_kind_newest_first_with_who_and_when(case, team):
    for reader in (team.officer, team.chair):
        response = timeline(reader, case)
        assert response.status_code == 200
        body = response.content.decode()
        assert kinds_of(response) == EVERY_KIND
        for marker in MARK.values():
            assert marker in body
        results = response.json()["results"]
        stamps = [entry["at"] for entry in results]
        assert stamps == sorted(stamps, reverse=True)
        submission = next(entry for entry in results if entry["kind"] == "submission")
        assert submission["who"]["name"] == case.referrer.display_name
        note = next(entry for entry in results if entry["kind"] == "note")
        assert note["who"]["id"] == str(team.officer.pk)
        assert {"label": "Fact or opinion", "value": "Opinion"} in note["details"]


def test_panel_member_sees_the_panels_parts_never_the_police_side(case, team):
    response = timeline(team.member, case)
    assert response.status_code == 200
    assert kinds_of(response) == {
        "submission",
        "panel",
        "vulnerability_assessment",
        "consent",
        "intervention",
        "review",
    }
    body = response.content.decode()
    for key in PANEL_SIDE:
        assert MARK[key] in body
    for key in POLICE_SIDE:
        assert MARK[key] not in body
    # Who referred is not the panel's: the agency, never the person (as the case's panel view).
    submission = next(e for e in response.json()["results"] if e["kind"] == "submission")
    assert submission["who"] is None
    assert case.referrer.display_name not in body
    assert {"label": "Referring agency", "value": str(case.referrer_agency)} in submission[
        "details"
    ]


def test_provider_sees_only_their_own_interventions_entries(case, team):
    response = timeline(team.provider, case)
    assert response.status_code == 200
    results = response.json()["results"]
    assert {entry["kind"] for entry in results} == {"intervention"}
    assert len(results) == 2  # their intervention and its session
    body = response.content.decode()
    assert MARK["session"] in body
    for key in (*POLICE_SIDE, *PANEL_SIDE, "other_session"):
        assert MARK[key] not in body
    assert case.subject.date_of_birth.isoformat() not in body
    other = timeline(case.other_provider, case)
    assert MARK["other_session"] in other.content.decode()
    assert MARK["session"] not in other.content.decode()


def test_referrer_sees_only_the_submission(case):
    response = timeline(case.referrer, case)
    assert response.status_code == 200
    assert kinds_of(response) == {"submission"}
    body = response.content.decode()
    for marker in MARK.values():
        assert marker not in body


def test_out_of_scope_is_404_and_a_bad_kind_400(case, world, team):
    outsiders = [
        UserFactory(agency=world.council_c, roles=[Role.CHANNEL_CHAIR]),
        UserFactory(agency=world.community_a, roles=[Role.INTERVENTION_PROVIDER]),
        UserFactory(agency=world.health_a, roles=[Role.PANEL_MEMBER]),
        UserFactory(agency=world.school_a, roles=[Role.REFERRER]),
    ]
    for outsider in outsiders:
        assert timeline(outsider, case).status_code == 404
        assert timeline(outsider, case, kind="nonsense").status_code == 404
    response = timeline(team.chair, case, kind="nonsense")
    assert response.status_code == 400
    assert "kind" in response.json()["errors"] or "kind" in response.content.decode()


def test_kind_filter(case, team):
    assert kinds_of(timeline(team.chair, case, kind="note")) == {"note"}
    assert timeline(team.chair, case, kind="note,review").status_code == 400
    assert timeline(team.chair, case, kind="").status_code == 400
    client = APIClient()
    client.force_authenticate(team.chair)
    url = reverse("api:referral-timeline", args=[case.pk]) + "?kind=consent&kind=panel"
    assert kinds_of(client.get(url)) == {"consent", "panel"}
    # A kind the reader may not see filters to nothing, not to a 403 that tells it exists.
    assert kinds_of(timeline(team.member, case, kind="police_assessment")) == set()


def test_vulnerability_assessment_entries_say_what_changed(case, team):
    cf.assess(team, case, value="high")
    results = timeline(team.chair, case, kind="vulnerability_assessment").json()["results"]
    latest, first = results[0], results[-1]
    changed = {d["label"]: d["value"] for d in latest["details"]}["What changed"]
    assert "Low → High" in changed
    assert {d["label"]: d["value"] for d in first["details"]}["What changed"] == (
        "First assessment"
    )


def test_reading_the_timeline_is_an_audited_read(case, team):
    before = AuditEvent.objects.filter(action="referral.viewed", object_id=str(case.pk)).count()
    timeline(team.member, case)
    client = APIClient()
    client.force_login(team.provider)
    client.get(reverse("channel:timeline", args=[case.pk]))
    events = AuditEvent.objects.filter(action="referral.viewed", object_id=str(case.pk))
    assert events.count() == before + 2
    assert {event.detail["via"] for event in events.order_by("-id")[:2]} == {
        "api_timeline",
        "timeline",
    }


def test_page_filters_by_kind_and_shows_what_the_reader_may_see(case, team, client):
    client.force_login(team.member)
    url = reverse("channel:timeline", args=[case.pk])
    body = client.get(url).content.decode()
    assert MARK["discussion"] in body
    assert MARK["risk"] not in body
    body = client.get(url, {"kind": "consent"}).content.decode()
    assert MARK["consent"] in body
    assert MARK["discussion"] not in body
    client.force_login(team.chair)
    assert MARK["glass"] in client.get(url).content.decode()
    client.force_login(UserFactory(agency=team.chair.agency, roles=[Role.REFERRER]))
    assert client.get(url).status_code == 404


QUERY_BUDGET = 45  # session, scope, audit and one or two reads per kind, whatever the size


def _grow(case, team, events: int) -> None:
    """Add ``events`` more entries across the kinds, written straight as rows."""
    CaseNote.objects.bulk_create(
        CaseNote(referral=case, author=team.officer, text="n") for _ in range(events // 2)
    )
    Review.objects.bulk_create(
        Review(
            referral=case,
            kind="panel",
            date=cf.today() - datetime.timedelta(days=1),
            risk_change="unchanged",
            recorded_by=team.chair,
        )
        for _ in range(events - events // 2)
    )


@pytest.mark.parametrize("reader", ["officer", "chair", "member", "provider"])
def test_query_count_is_the_same_at_20_and_200_events(
    case, team, reader, django_assert_max_num_queries
):
    user = getattr(team, reader)
    counts = []
    for events in (20, 180):  # the case already holds about 20: 40, then 220
        _grow(case, team, events)
        with (
            CaptureQueriesContext(connection) as queries,
            django_assert_max_num_queries(QUERY_BUDGET),
        ):
            assert timeline(user, case).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- Since the last panel (agenda item page and panel pack) ---------------------------------


@pytest.fixture
def second_panel(world, team):
    """A case discussed at a held panel, then things recorded, then on the next panel."""
    referral = cf.channel_panel(world, team)
    police = referral.assessments.get()
    police.risk_summary = MARK["risk"]
    police.save()
    cf.assess(team, referral, "moderate")
    first = cf.held_panel(world, team, referral)
    referral_services.note_add(
        referral_id=referral.pk, actor=team.officer, text=MARK["note"], kind="fact"
    )
    cf.assess(team, referral, "high")
    panel = panel_create(
        actor=team.chair,
        date=cf.today() + datetime.timedelta(days=7),
        location="Room",
        member_ids=[team.officer.pk, team.member.pk],
    )
    panel_add_case(panel_id=panel.pk, actor=team.chair, referral_id=referral.pk)
    item = AgendaItem.objects.get(panel=panel, referral=referral)
    return first, panel, item


def test_agenda_item_shows_what_changed_since_the_last_panel(second_panel, team, client):
    first, panel, item = second_panel
    client.force_login(team.chair)
    body = client.get(reverse("channel:agenda_item", args=[panel.pk, item.pk])).content.decode()
    since = body[body.index('id="since-last-panel"') :]
    assert first.date.strftime("%-d %B %Y") in since
    assert MARK["note"] in since
    assert "Moderate → High" in since
    # Recorded before the last panel: not new to this one.
    assert MARK["risk"] not in since
    assert "First assessment" not in since


def test_first_panel_shows_the_whole_timeline_as_new(world, team, client):
    referral = cf.channel_panel(world, team)
    panel = panel_create(
        actor=team.chair, date=cf.today(), location="Room", member_ids=[team.member.pk]
    )
    panel_add_case(panel_id=panel.pk, actor=team.chair, referral_id=referral.pk)
    item = AgendaItem.objects.get(panel=panel)
    client.force_login(team.chair)
    body = client.get(reverse("channel:agenda_item", args=[panel.pk, item.pk])).content.decode()
    since = body[body.index('id="since-last-panel"') :]
    assert "No earlier panel has discussed this case" in since
    assert "Gateway assessment recorded" in since


def test_pack_says_what_changed_since_the_last_panel_as_the_recipient_may_see_it(
    second_panel, team
):
    _first, panel, _item = second_panel
    for recipient, sees_police in ((team.chair, True), (team.member, False)):
        context = pack_context(panel, recipient, cf.today())
        add_since_last_panel(context, recipient)
        (case,) = context["cases"]
        html = render_to_string("channel/pack.html", context)
        start = html.index("<h3>Since the last panel</h3>")
        since = html[start : html.index("<h3>", start + 1)]  # up to the next section
        assert "Moderate → High" in since
        assert (MARK["note"] in since) is sees_police
        assert MARK["risk"] not in since  # before the last panel, and police-only besides
        assert case["since"]["previous"] == _first
    text, _pages = text_of(build_pack(panel, team.member).content)
    assert "Since the last panel" in text


def test_since_the_last_panel_for_a_pack_reads_a_fixed_number_of_queries(world, team):
    panel = panel_create(
        actor=team.chair,
        date=cf.today() + datetime.timedelta(days=7),
        location="Room",
        member_ids=[team.member.pk],
    )
    counts = []
    for cases in (2, 6):
        while AgendaItem.objects.filter(panel=panel).count() < cases:
            referral = cf.direct(cf.SupportFactory, world, team)
            cf.intervention(team, referral)
            cf.review(team, referral)
            panel_add_case(panel_id=panel.pk, actor=team.chair, referral_id=referral.pk)
        context = pack_context(panel, team.chair, cf.today())
        with CaptureQueriesContext(connection) as queries:
            add_since_last_panel(context, team.chair)
        assert all(case["since"]["entries"] for case in context["cases"])
        counts.append(len(queries))
    assert counts[0] == counts[1]


# Field by field: each entry a role reads, as (kind, its detail labels in order, whether it
# names who did it). Written from DESIGN.md §3 and the issue: full access reads everything;
# a panel member the panel's parts and the referral as its agency only (never the police
# gateway, notes, files or break-glass openings); a provider only their own intervention and
# its sessions. Every entry has the same keys, whoever reads it.
PANEL_ENTRIES = {
    ("submission", ("Referring agency",), False),
    ("panel", ("Panel", "Discussion", "Decision"), True),
    ("panel", ("Owner", "Due", "Done"), True),
    ("panel", ("Update",), True),
    ("vulnerability_assessment", ("Date", "What changed", "Summary"), True),
    ("consent", ("Date", "Given by", "Name", "Relationship", "The child’s view"), True),
    ("intervention", ("Provider", "Start", "Hours agreed", "Status"), False),
    ("intervention", ("Date", "Hours", "Notes"), True),
    ("review", ("Date", "Risk", "Recommends exit", "Notes"), True),
}
FULL_ENTRIES = (PANEL_ENTRIES - {("submission", ("Referring agency",), False)}) | {
    ("submission", ("Referring agency",), True),
    ("transition", ("From", "To"), True),
    ("transition", ("From", "To", "Rationale"), True),
    (
        "police_assessment",
        ("Deconfliction", "Type of concern", "Screening", "Vulnerabilities", "Risk summary"),
        True,
    ),
    ("note", ("Fact or opinion", "Note"), True),
    ("attachment", ("Description", "Type"), True),
    ("break_glass", ("Reason", "Access until"), True),
    ("person_link", ("Reason",), True),  # issue 18: police and the case's chair only
    ("transfer", ("From", "To", "Reason"), True),
}
PROVIDER_ENTRIES = {
    ("intervention", ("Provider", "Start", "Hours agreed", "Status"), False),
    ("intervention", ("Date", "Hours", "Notes"), True),
}
ENTRY_KEYS = {"at", "details", "kind", "kind_label", "summary", "who"}


@pytest.mark.parametrize(
    ("reader", "expected"),
    [
        ("officer", FULL_ENTRIES),
        ("chair", FULL_ENTRIES),
        ("member", PANEL_ENTRIES),
        ("provider", PROVIDER_ENTRIES),
    ],
)
def test_each_roles_entries_field_by_field(case, team, reader, expected):
    # A parent's consent (the factory's depends on the person's age): every field given.
    Consent.objects.filter(referral=case).update(
        given_by="parent_or_guardian", given_by_name="Sam Parent", relationship="Mother"
    )
    results = timeline(getattr(team, reader), case).json()["results"]
    assert all(set(entry) == ENTRY_KEYS for entry in results)
    shown = {
        (entry["kind"], tuple(d["label"] for d in entry["details"]), entry["who"] is not None)
        for entry in results
    }
    assert shown == expected
    if reader == "provider":  # their own intervention's session, never the other's
        sessions = [e for e in results if ("Notes", MARK["session"]) in _pairs(e)]
        assert len(sessions) == 1
        assert not any(("Notes", MARK["other_session"]) in _pairs(e) for e in results)


def _pairs(entry) -> set[tuple[str, str]]:
    return {(d["label"], d["value"]) for d in entry["details"]}
