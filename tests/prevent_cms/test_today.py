"""The Today page and ``GET /api/v1/me/work/`` (issue 17): per role, most urgent first, each
line linking to where the work is done; the query count does not grow with the cases."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from channel.models import PanelAction
from channel.reference_data import ensure_vaf
from channel.selectors import next_panel
from channel.services.agenda import panel_add_case
from channel.services.panels import panel_create, panel_hold, panel_sign_off
from referrals.choices import State
from tests.channel import factories as cf
from tests.referrals import factories as rf
from tests.training.factories import ExpiringSoonRecordFactory, StaffMemberFactory


@pytest.fixture
def team(world):
    ensure_vaf()
    return cf.channel_team(world)


def _old(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def _items(client) -> list[dict]:
    response = client.get(reverse("api:my-work"))
    assert response.status_code == 200
    return response.json()["items"]


def test_the_officers_today_lists_triage_breaches_and_their_own_cases_most_urgent_first(
    client, world
):
    officer = rf.officer_for(world)
    late = rf.SubmittedFactory(referrer=rf.referrer_for(world), submitted_at=_old(10))
    rf.SubmittedFactory(referrer=rf.referrer_for(world), immediate_risk=True)
    rf.InPoliceAssessmentFactory(referrer=rf.referrer_for(world), assigned_officer=officer)
    client.force_login(officer)
    items = _items(client)
    kinds = [item["kind"] for item in items]
    assert kinds[0] == "clock_breached"
    assert items[0]["reference"] == late.reference
    assert items[0]["url"].endswith(reverse("referrals:detail", args=[late.pk]))
    assert "triage_urgent" in kinds
    assert "triage_waiting" in kinds
    mine = next(item for item in items if item["kind"] == "assigned_to_me")
    assert "assigned=me" in mine["url"]
    assert [item["urgency"] for item in items] == sorted(item["urgency"] for item in items)
    page = client.get(reverse("home")).content.decode()
    assert late.reference in page
    assert late.subject.last_name not in page


def test_an_assessment_due_within_five_working_days_is_listed_with_its_day(client, world):
    officer = rf.officer_for(world)
    due = rf.InPoliceAssessmentFactory(
        referrer=rf.referrer_for(world), assigned_officer=officer, assessment_started_at=_old(25)
    )
    client.force_login(officer)
    line = next(item for item in _items(client) if item["reference"] == due.reference)
    assert line["kind"] in {"clock_due", "clock_breached"}
    assert line["due"]


def _cases(world, count: int) -> None:
    for number in range(count):
        factory = rf.SubmittedFactory if number % 2 else rf.InPoliceAssessmentFactory
        factory(referrer=rf.referrer_for(world), submitted_at=_old(number % 30))


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url_name", ["home", "api:my-work"])
def test_the_officers_today_costs_the_same_at_10_and_200_cases(client, world, url_name):
    officer = rf.officer_for(world)
    client.force_login(officer)
    url = reverse(url_name)
    _cases(world, 10)
    client.get(url)  # warm the session and caches
    at_10 = _queries(client, url)
    _cases(world, 190)
    at_200 = _queries(client, url)
    assert at_200 == at_10


def test_the_chairs_today_costs_the_same_at_10_and_200_cases(client, world, team):
    client.force_login(team.chair)
    for _ in range(10):
        cf.direct(rf.ChannelPanelFactory, world, team)
    client.get(reverse("home"))
    at_10 = _queries(client, reverse("home"))
    for _ in range(190):
        cf.direct(rf.ChannelPanelFactory, world, team)
    assert _queries(client, reverse("home")) == at_10


def test_after_sign_off_the_next_panel_is_the_next_scheduled_one(client, world, team):
    referral = cf.direct(rf.ChannelPanelFactory, world, team)
    held = panel_create(
        actor=team.chair,
        date=timezone.localdate(),
        location="Town Hall",
        member_ids=[team.officer.pk, team.member.pk],
    )
    panel_add_case(panel_id=held.pk, actor=team.chair, referral_id=referral.pk)
    upcoming = panel_create(
        actor=team.chair,
        date=timezone.localdate() + datetime.timedelta(days=14),
        location="Town Hall",
        member_ids=[team.member.pk],
    )
    assert next_panel(team.chair) == held
    panel_hold(
        panel_id=held.pk,
        actor=team.chair,
        attended_ids=[team.chair.pk, team.officer.pk],
        minutes="Discussed.",
    )
    panel_sign_off(panel_id=held.pk, actor=team.chair)
    assert next_panel(team.chair) == upcoming
    client.force_login(team.chair)
    panels = [item for item in _items(client) if item["kind"] == "panel_next"]
    assert [item["url"] for item in panels] == [
        "http://testserver" + reverse("channel:panel", args=[upcoming.pk])
    ]


def test_the_chair_sees_cases_awaiting_a_panel_and_actions_overdue(client, world, team):
    cf.direct(rf.ChannelPanelFactory, world, team, channel_entered_at=_old(40))
    panel = panel_create(
        actor=team.chair,
        date=timezone.localdate() + datetime.timedelta(days=3),
        location="Town Hall",
        member_ids=[team.member.pk],
    )
    PanelAction.objects.create(
        panel=panel,
        description="Call the school",
        owner=team.member,
        due_date=timezone.localdate() - datetime.timedelta(days=2),
    )
    client.force_login(team.chair)
    kinds = [item["kind"] for item in _items(client)]
    assert set(kinds[:2]) == {"awaiting_panel_overdue", "action"}  # both overdue: first
    assert "awaiting_panel" in kinds
    assert "panel_next" in kinds
    client.force_login(team.member)
    member = [item["kind"] for item in _items(client)]
    assert "panel_next" in member
    assert "action" in member


def test_the_provider_sees_sessions_to_log_and_hours_remaining(client, world, team):
    referral = cf.direct(cf.SupportFactory, world, team)
    intervention = cf.intervention(team, referral, hours=10)
    client.force_login(team.provider)
    (line,) = [item for item in _items(client) if item["kind"] == "session_to_log"]
    assert line["reference"] == ""  # the provider works on the intervention, not the case
    assert referral.reference not in line["label"]
    assert "10" in line["label"]
    assert line["url"].endswith(reverse("channel:session_new", args=[intervention.pk]))


def test_the_referrer_sees_drafts_and_news_never_the_police_stage(client, world):
    referrer = rf.referrer_for(world)
    draft = rf.DraftFactory(referrer=referrer)
    assessed = rf.InPoliceAssessmentFactory(referrer=referrer)
    in_channel = rf.ChannelPanelFactory(referrer=referrer, assessment_started_at=_old(40))
    client.force_login(referrer)
    items = _items(client)
    by_reference = {item["reference"]: item for item in items}
    assert by_reference[draft.reference]["url"].endswith(
        reverse("referrals:task_list", args=[draft.pk])
    )
    assert "Being assessed" in by_reference[assessed.reference]["label"]
    assert in_channel.reference not in by_reference
    for item in items:
        assert str(State.CHANNEL_PANEL.label) not in item["label"]


def test_the_borough_lead_sees_training_expiring(client, world):
    ExpiringSoonRecordFactory(staff=StaffMemberFactory(agency=world.school_a))
    lead = world.user(Role.BOROUGH_LEAD, agency=world.council_a)
    client.force_login(lead)
    kinds = [item["kind"] for item in _items(client)]
    # The compliance sections and the statistics return are listed too (tests/reports).
    assert [kind for kind in kinds if kind.startswith("training")] == ["training_expiring"]


# --- Issue 17: the Today page's cost for every role, at 10 and at 200 cases ------------------


def _referrer_work(world, team, count, person):
    for number in range(count):
        factory = rf.DraftFactory if number % 2 else rf.InPoliceAssessmentFactory
        factory(referrer=person)


def _agency_lead_work(world, team, count, person):
    for _number in range(count):
        rf.InPoliceAssessmentFactory(referrer=rf.referrer_for(world))


def _officer_work(world, team, count, person):
    from tests.consultations.factories import consultation

    for number in range(count):
        if number % 4 == 0:  # a consultation to follow up, and one that needs none
            consultation(person, consulted_on=timezone.localdate() - datetime.timedelta(days=2))
            consultation(person, outcome="no_referral_needed")
        if number % 2:
            rf.SubmittedFactory(referrer=rf.referrer_for(world), submitted_at=_old(number % 5))
        else:
            rf.InPoliceAssessmentFactory(
                referrer=rf.referrer_for(world),
                assigned_officer=person,
                assessment_started_at=_old(number % 40),
            )


def _chair_panel_with_packs(team, person):
    """The next panel, its pack made for two recipients and sent to one (rows as the pack job
    and its notice write them): the readiness line is measured too."""
    from channel.models import Panel, PanelPack
    from channel.selectors import pack_notice_key
    from prevent_cms.models import Job, Notification
    from prevent_cms.notifications import Kind

    panel = Panel.objects.filter(chair=person).first()
    if panel is not None:
        return panel
    panel = panel_create(
        actor=person,
        date=timezone.localdate() + datetime.timedelta(days=5),
        location="Civic Centre",
        member_ids=[team.member.pk],
    )
    job = Job.objects.create(kind="channel.panel_pack", owner=person)
    for recipient in (person, team.member):
        copy = PanelPack.objects.create(panel=panel, job=job, recipient=recipient)
    Notification.objects.create(
        recipient=team.member, kind=Kind.PACK_READY, key=pack_notice_key(copy.pk)
    )
    return panel


def _chair_work(world, team, count, person):
    panel = _chair_panel_with_packs(team, person)
    for number in range(count):
        kind = number % 3
        if kind == 0:
            referral = cf.direct(
                rf.ChannelPanelFactory, world, team, channel_entered_at=_old(number % 40)
            )
            if number % 2:
                panel_add_case(panel_id=panel.pk, actor=person, referral_id=referral.pk)
        elif kind == 1:
            cf.direct(cf.SupportFactory, world, team, adopted_at=_old(number % 40))
        else:
            cf.direct(cf.PostExitReviewFactory, world, team, exited_at=_old(170 + number % 20))


def _member_work(world, team, count, person):
    from channel.models import AgencyUpdateRequest, Panel

    panel = Panel.objects.filter(members=person).first() or panel_create(
        actor=team.chair,
        date=timezone.localdate() + datetime.timedelta(days=5),
        location="Civic Centre",
        member_ids=[person.pk],
    )
    for _number in range(count):
        referral = cf.direct(rf.ChannelPanelFactory, world, team)
        panel_add_case(panel_id=panel.pk, actor=team.chair, referral_id=referral.pk)
        PanelAction.objects.create(
            panel=panel, referral=referral, description="Call school", owner=person
        )
        AgencyUpdateRequest.objects.create(
            panel=panel, referral=referral, agency_id=person.agency_id, requested_by=team.chair
        )


def _provider_work(world, team, count, person):
    for _number in range(count):
        cf.intervention(team, cf.direct(cf.SupportFactory, world, team))


def _borough_lead_work(world, team, count, person):
    from reports.models import ComplianceEntry, PlanAction, ToolkitSection
    from tests.training.factories import TrainingRecordFactory

    for number in range(count):
        TrainingRecordFactory(
            staff=StaffMemberFactory(agency=world.school_a),
            expires_on=timezone.localdate() + datetime.timedelta(days=number % 40 - 5),
        )
        # Compliance records of earlier years (their sections stay due) and plan actions
        # of the compliance page.
        ComplianceEntry.objects.create(
            local_authority=world.la_a,
            section=ToolkitSection.COMMUNICATIONS,
            date=timezone.localdate() - datetime.timedelta(days=800 + number),
            title="Engagement event",
            created_by=person,
        )
        PlanAction.objects.create(
            local_authority=world.la_a,
            section=ToolkitSection.CHANNEL_PANEL,
            description="Review the panel's terms",
            owner="Prevent lead",
            due_date=timezone.localdate() + datetime.timedelta(days=number),
            created_by=person,
        )


WORK = {
    "referrer": (lambda world, team: rf.referrer_for(world), _referrer_work),
    "agency_lead": (
        lambda world, team: world.user(Role.AGENCY_LEAD, agency=world.school_a),
        _agency_lead_work,
    ),
    "prevent_officer": (lambda world, team: team.officer, _officer_work),
    "channel_chair": (lambda world, team: team.chair, _chair_work),
    "panel_member": (lambda world, team: team.member, _member_work),
    "intervention_provider": (lambda world, team: team.provider, _provider_work),
    "borough_lead": (
        lambda world, team: world.user(Role.BOROUGH_LEAD, agency=world.council_a),
        _borough_lead_work,
    ),
}


@pytest.mark.parametrize("role", list(WORK))
def test_each_roles_today_costs_no_more_queries_at_200_cases_than_at_10(
    client, world, team, role, django_assert_max_num_queries
):
    who, add = WORK[role]
    person = who(world, team)
    client.force_login(person)
    add(world, team, 10, person)
    assert _items(client), f"{role}: nothing on the Today list to measure"
    at_10 = {name: _queries(client, reverse(name)) for name in ("home", "api:my-work")}
    add(world, team, 190, person)
    for name, count in at_10.items():
        with django_assert_max_num_queries(count):
            assert client.get(reverse(name)).status_code == 200
