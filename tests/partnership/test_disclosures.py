"""Data-sharing agreements and the disclosure ledger: a panel pack leaving for another
agency is recorded once against the agreement that allows it, refused where none does (if
the borough refuses such disclosures), or allowed with a recorded reason; borough leads see
counts, never cases."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from channel.models import PanelPack
from channel.services.agenda import panel_add_case
from channel.services.packs import panel_pack_request
from channel.services.panels import panel_create
from partnership.models import Disclosure, DisclosureKind
from partnership.services import agreements as services
from prevent_cms.errors import ActionForbidden, GuardFailed
from prevent_cms.models import AuditEvent
from tests.channel import factories as cf
from tests.referrals import factories as rf

from .conftest import api

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def pack(world, team, django_capture_on_commit_callbacks):
    """A panel today with one case; its pack made for the chair, the officer and a health
    member."""
    referral = cf.direct(rf.ChannelPanelFactory, world, team)
    panel = panel_create(
        actor=team.chair,
        date=cf.today(),
        location="Town Hall",
        member_ids=[team.officer.pk, team.member.pk],
    )
    panel_add_case(panel_id=panel.pk, actor=team.chair, referral_id=referral.pk)
    with django_capture_on_commit_callbacks(execute=True):
        panel_pack_request(panel_id=panel.pk, actor=team.chair)
    return panel


def _agreement(people, parties, **changes):
    today = timezone.localdate()
    data = {
        "title": "Channel information sharing",
        "purpose": "Channel panels",
        "lawful_basis": "public_task",
        "starts_on": today - datetime.timedelta(days=30),
        "review_on": today + datetime.timedelta(days=300),
        **changes,
    }
    return services.agreement_create(
        actor=people.lead, data=data, party_ids=[p.pk for p in parties]
    )


def _download(client, panel, person, door: str):
    client.force_login(person)
    if door == "page":
        return client.get(reverse("channel:panel_pack", args=[panel.pk]))
    if door == "api":
        return api(person).get(f"/api/v1/channel/panels/{panel.pk}/pack/")
    copy = PanelPack.objects.get(panel=panel, recipient=person)
    return client.get(reverse("channel:pack_link", args=[copy.pk]))


@pytest.mark.parametrize("door", ["page", "api", "link"])
def test_a_pack_for_an_agency_with_no_current_agreement_is_refused(
    world, people, team, pack, client, door
):
    services.disclosure_policy_set(actor=people.lead, refuse_without_agreement=True)
    _agreement(people, [world.police_a])  # the police, not health
    response = _download(client, pack, team.member, door)
    assert response.status_code == 403
    assert not Disclosure.objects.exists()
    assert not AuditEvent.objects.filter(action="channel.pack.downloaded").exists()
    if door == "link":  # the single-use link is not spent by a refusal
        assert PanelPack.objects.get(panel=pack, recipient=team.member).link_used_at is None


def test_an_ended_or_not_yet_started_agreement_is_not_current(world, people, team, pack, client):
    services.disclosure_policy_set(actor=people.lead, refuse_without_agreement=True)
    today = timezone.localdate()
    _agreement(people, [world.health_a], ends_on=today - datetime.timedelta(days=1))
    _agreement(people, [world.health_a], starts_on=today + datetime.timedelta(days=1))
    _agreement(people, [world.health_a], status="suspended")
    assert _download(client, pack, team.member, "page").status_code == 403


def test_the_ledger_counts_each_disclosure_once_against_its_agreement(
    world, people, team, pack, client
):
    services.disclosure_policy_set(actor=people.lead, refuse_without_agreement=True)
    agreement = _agreement(people, [world.health_a, world.police_a])
    assert _download(client, pack, team.member, "page").status_code == 200
    # The copy is single-use (issue 16): every door after the first answers 410 and records
    # no second disclosure.
    for door in ("api", "page"):
        assert _download(client, pack, team.member, door).status_code == 410, door
    assert _download(client, pack, team.officer, "api").status_code == 200
    rows = Disclosure.objects.order_by("recipient_agency__name")
    assert [(d.recipient_agency, d.agreement, d.case_count, d.kind) for d in rows] == [
        (world.health_a, agreement, 1, DisclosureKind.PANEL_PACK),
        (world.police_a, agreement, 1, DisclosureKind.PANEL_PACK),
    ]
    ledger = api(people.lead).get(
        "/api/v1/partnership/disclosures/", {"agreement": str(agreement.pk)}
    )
    assert ledger.status_code == 200
    assert [(r["agency_name"], r["disclosures"], r["cases"]) for r in ledger.json()["results"]] == [
        ("Northbridge Health", 1, 1),
        ("Northbridge Police Prevent", 1, 1),
    ]
    assert AuditEvent.objects.filter(action="partnership.disclosure.recorded").count() == 2


def test_the_councils_own_staff_are_not_a_disclosure(people, team, pack, client):
    services.disclosure_policy_set(actor=people.lead, refuse_without_agreement=True)
    assert _download(client, pack, team.chair, "page").status_code == 200
    assert not Disclosure.objects.exists()


def test_until_refusal_is_turned_on_a_disclosure_with_no_agreement_is_recorded_as_such(
    people, team, pack, client
):
    assert _download(client, pack, team.member, "page").status_code == 200
    disclosure = Disclosure.objects.get()
    assert disclosure.agreement is None
    row = api(people.lead).get("/api/v1/partnership/disclosures/").json()["results"][0]
    assert row["agreement"] is None
    assert row["disclosures"] == 1


def test_a_disclosure_with_no_agreement_goes_with_a_recorded_reason(world, people, team, pack):
    services.disclosure_policy_set(actor=people.lead, refuse_without_agreement=True)
    with pytest.raises(ActionForbidden):
        services.disclosure_record(
            actor=team.chair,
            kind=DisclosureKind.MASH_COPY,
            local_authority_id=world.la_a.pk,
            source_id=pack.pk,
            case_count=1,
            recipient=team.member,
        )
    disclosure = services.disclosure_record(
        actor=team.chair,
        kind=DisclosureKind.MASH_COPY,
        local_authority_id=world.la_a.pk,
        source_id=pack.pk,
        case_count=1,
        recipient=team.member,
        reason="Immediate safeguarding risk to a child",
    )
    assert disclosure.agreement is None
    event = AuditEvent.objects.get(action="partnership.disclosure.recorded")
    assert event.reason == "Immediate safeguarding risk to a child"


def test_borough_leads_see_only_their_own_ledger(world, people, team, pack, client):
    agreement = _agreement(people, [world.health_a])
    _download(client, pack, team.member, "page")
    assert api(people.lead_b).get("/api/v1/partnership/disclosures/").json()["count"] == 0
    outside = api(people.lead_b).get(
        "/api/v1/partnership/disclosures/", {"agreement": str(agreement.pk)}
    )
    assert outside.status_code == 404
    assert api(team.chair).get("/api/v1/partnership/disclosures/").status_code == 403
    client.force_login(people.lead)
    page = client.get("/partnership/disclosures/").content.decode()
    assert "Northbridge Health" in page
    assert "Channel panel pack" in page
    assert pack.agenda.first().referral.reference not in page


def test_agreements_due_for_review_are_listed(world, people, client):
    today = timezone.localdate()
    due = _agreement(people, [world.health_a], title="Due", review_on=today)
    _agreement(people, [world.health_a], title="Later")
    _agreement(
        people,
        [world.health_a],
        title="Ended",
        review_on=today - datetime.timedelta(days=1),
        status="ended",
    )
    listed = api(people.lead).get("/api/v1/partnership/agreements/", {"due_for_review": "true"})
    assert [row["id"] for row in listed.json()["results"]] == [str(due.pk)]
    client.force_login(people.lead)
    page = client.get("/partnership/agreements/").content.decode()
    assert "Due for review" in page


def test_an_agreements_parties_are_agencies_of_the_force_area(world, people):
    with pytest.raises(GuardFailed):
        _agreement(people, [world.school_c])


def test_the_api_registers_an_agreement(world, people):
    today = timezone.localdate()
    response = api(people.lead).post(
        "/api/v1/partnership/agreements/",
        {
            "title": "MASH sharing",
            "parties": [str(world.health_a.pk)],
            "purpose": "Copies of referrals of under-18s to the MASH",
            "lawful_basis": "public_task",
            "starts_on": today.isoformat(),
            "review_on": (today + datetime.timedelta(days=365)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["status_label"] == "In force"
    ended = api(people.lead).patch(response["Location"], {"status": "ended"}, format="json")
    assert ended.status_code == 200
    assert ended.json()["status"] == "ended"
    assert api(people.lead_b).get(response["Location"]).status_code == 404
    referrer = world.user(Role.REFERRER)
    assert api(referrer).get("/api/v1/partnership/agreements/").status_code == 403


def test_every_read_of_the_ledger_is_audited(people, client):
    client.force_login(people.lead)
    assert client.get("/partnership/disclosures/").status_code == 200
    assert api(people.lead).get("/api/v1/partnership/disclosures/").status_code == 200
    assert (
        AuditEvent.objects.filter(action="partnership.ledger.viewed", actor=people.lead).count()
        == 2
    )
