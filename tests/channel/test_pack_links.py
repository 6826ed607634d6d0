"""Packs that leave no copies behind (issue 16): a per-recipient download link that works
once and expires, and after the panel each recipient says what became of their copy."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from rest_framework.test import APIClient

from channel.models import Panel, PanelPack
from channel.services.agenda import panel_add_case
from channel.services.packs import panel_pack_attest, panel_pack_request
from channel.services.panels import panel_create
from prevent_cms.errors import GuardFailed, TransitionNotAllowed
from prevent_cms.jobs import ResultAccess, job_result_access
from prevent_cms.models import AuditEvent, Job
from reports.compliance import channel_panel_figures
from reports.periods import Period
from tests.channel import factories as cf
from tests.factories import UserFactory
from tests.referrals import factories as rf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def pack(world, team, django_capture_on_commit_callbacks):
    """A panel today with one case; its pack made for the chair, the officer and a member."""
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


def _link(panel, person) -> str:
    copy = PanelPack.objects.get(panel=panel, recipient=person)
    return reverse("channel:pack_link", args=[copy.pk])


def _past(panel, days: int) -> None:
    Panel.objects.filter(pk=panel.pk).update(date=cf.today() - datetime.timedelta(days=days))


def test_each_recipient_is_sent_their_own_link_with_no_names(pack, team):
    sent = {message.to[0]: message.body for message in mail.outbox}
    for person in (team.chair, team.officer, team.member):
        assert _link(pack, person) in sent[person.email]
        # As a whole word: a surname such as "Chan" is inside "Channel", which every pack says.
        assert not re.search(rf"(?<!\w){re.escape(person.last_name)}(?!\w)", sent[person.email])
    assert len(sent) == 3


def test_a_link_works_once_then_answers_410_saying_how_to_get_a_new_one(pack, team, client):
    client.force_login(team.member)
    first = client.get(_link(pack, team.member))
    assert first.status_code == 200
    assert first["Content-Type"] == "application/pdf"
    b"".join(first.streaming_content)
    copy = PanelPack.objects.get(panel=pack, recipient=team.member)
    event = AuditEvent.objects.filter(action="channel.pack.downloaded").latest("id")
    assert event.detail["via"] == "link"
    assert event.detail["pack"] == str(copy.pk)
    again = client.get(_link(pack, team.member))
    assert again.status_code == 410
    body = again.content.decode()
    assert "already been used" in body
    assert "Ask the panel’s chair to make a new pack" in body


def test_a_new_pack_gives_a_new_link(pack, team, client, django_capture_on_commit_callbacks):
    client.force_login(team.member)
    used = _link(pack, team.member)
    b"".join(client.get(used).streaming_content)
    with django_capture_on_commit_callbacks(execute=True):
        panel_pack_request(panel_id=pack.pk, actor=team.chair)
    fresh = PanelPack.objects.filter(panel=pack, recipient=team.member).first()  # newest
    assert reverse("channel:pack_link", args=[fresh.pk]) != used
    assert client.get(reverse("channel:pack_link", args=[fresh.pk])).status_code == 200
    assert client.get(used).status_code == 410


def test_a_link_expires_72_hours_after_the_panel(pack, team, client, settings):
    client.force_login(team.member)
    _past(pack, 3)
    response = client.get(_link(pack, team.member))
    assert response.status_code == 410
    assert "expired 3 days after the panel" in response.content.decode()
    assert PanelPack.objects.get(panel=pack, recipient=team.member).link_used_at is None
    settings.PANEL_PACK_LINK_VALID_FOR = datetime.timedelta(days=5)
    assert client.get(_link(pack, team.member)).status_code == 200
    _past(pack, 2)
    settings.PANEL_PACK_LINK_VALID_FOR = datetime.timedelta(hours=36)
    client.force_login(team.officer)
    response = client.get(_link(pack, team.officer))
    assert response.status_code == 410
    assert "expired 36 hours after the panel" in response.content.decode()


def test_a_link_is_its_recipients_alone(pack, team, client):
    client.force_login(team.officer)
    assert client.get(_link(pack, team.member)).status_code == 404
    assert PanelPack.objects.get(panel=pack, recipient=team.member).link_used_at is None
    client.logout()
    assert client.get(_link(pack, team.member)).status_code == 302  # to sign in


def test_recipients_attest_after_the_panel_and_the_chair_sees_who_has_not(pack, team, client):
    Panel.objects.filter(pk=pack.pk).update(date=cf.today() + datetime.timedelta(days=1))
    with pytest.raises(TransitionNotAllowed):
        panel_pack_attest(panel_id=pack.pk, actor=team.member, attestation="destroyed")
    _past(pack, 1)
    with pytest.raises(GuardFailed) as missing:
        panel_pack_attest(panel_id=pack.pk, actor=team.member, attestation="retained")
    assert "reason" in missing.value.field_errors
    client.force_login(team.member)
    url = reverse("channel:pack_attest", args=[pack.pk])
    assert client.post(url, {"attestation": "retained"}).status_code == 400
    response = client.post(
        url, {"attestation": "retained", "reason": "Safeguarding records policy, section 4"}
    )
    assert response.status_code == 302
    copy = PanelPack.objects.get(panel=pack, recipient=team.member)
    assert copy.attestation == "retained"
    assert copy.attestation_reason == "Safeguarding records policy, section 4"
    panel_pack_attest(panel_id=pack.pk, actor=team.officer, attestation="destroyed")

    client.force_login(team.chair)
    page = client.get(reverse("channel:panel", args=[pack.pk])).content.decode()
    table = page[page.index('id="pack-copies"') :]
    assert "Not yet said" in table.split(team.chair.display_name)[1][:400]
    assert "Safeguarding records policy, section 4" in table
    assert table.count("Not yet said") == 1  # the chair alone
    # Nobody else sees what the others said.
    client.force_login(team.member)
    assert (
        'id="pack-copies"'
        not in client.get(reverse("channel:panel", args=[pack.pk])).content.decode()
    )


def test_only_a_recipient_attests(pack, world, team, client):
    _past(pack, 1)
    stranger = UserFactory(agency=world.health_a, roles=["panel_member"])
    client.force_login(stranger)
    assert client.get(reverse("channel:pack_attest", args=[pack.pk])).status_code == 404


def test_the_compliance_report_counts_attestations(pack, team):
    _past(pack, 1)
    panel_pack_attest(panel_id=pack.pk, actor=team.member, attestation="destroyed")
    panel_pack_attest(
        panel_id=pack.pk, actor=team.officer, attestation="retained", reason="Force policy"
    )
    day = cf.today() - datetime.timedelta(days=1)
    figures = channel_panel_figures(local_authority=pack.local_authority, period=Period(day, day))
    assert figures["pack_copies"] == 3
    assert figures["pack_copies_destroyed"] == 1
    assert figures["pack_copies_retained"] == 1
    assert figures["pack_copies_unattested"] == 1


# --- Every door a pack leaves by spends the same single-use copy --------------------------


def _api(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def _door(name: str, client, person, panel):
    """Ask for ``person``'s copy of ``panel``'s pack through the door ``name``."""
    copy = PanelPack.objects.get(panel=panel, recipient=person)
    if name == "link":
        return client.get(reverse("channel:pack_link", args=[copy.pk]))
    if name == "page":
        return client.get(reverse("channel:panel_pack", args=[panel.pk]))
    if name == "api":
        return _api(person).get(reverse("api:channel-panel-pack", args=[panel.pk]))
    if name == "job":
        return client.get(reverse("job_download", args=[copy.job_id]))
    return _api(person).get(reverse("api:job-result", args=[copy.job_id]))


DOORS = ["link", "page", "api", "job", "api-job"]


@pytest.mark.parametrize("first", DOORS)
def test_a_copy_leaves_once_by_any_door_then_every_door_answers_410(pack, team, client, first):
    """The panel page, the API and the pack job's result no longer hand out repeat copies
    until the purge: each spends the chair's one copy, and the others then answer 410 saying
    how to ask for a new pack."""
    client.force_login(team.chair)
    response = _door(first, client, team.chair, pack)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    copy = PanelPack.objects.get(panel=pack, recipient=team.chair)
    assert copy.link_used_at is not None
    downloads = AuditEvent.objects.filter(
        action="channel.pack.downloaded", detail__pack=str(copy.pk)
    )
    assert downloads.filter(object_type="channel.panel").count() == 1
    for door in DOORS:
        again = _door(door, client, team.chair, pack)
        assert again.status_code == 410, door
        text = again.json()["detail"] if door.startswith("api") else again.content.decode()
        assert "already been used" in text, door
        assert "Ask the panel’s chair to make a new pack" in text, door
    assert downloads.filter(object_type="channel.panel").count() == 1
    # The panel page no longer offers the download, and says why.
    page = client.get(reverse("channel:panel", args=[pack.pk])).content.decode()
    assert f'href="{reverse("channel:panel_pack", args=[pack.pk])}"' not in page
    assert "already been used" in page


def test_the_pack_job_keeps_no_copy_of_its_own(pack, team):
    copy = PanelPack.objects.get(panel=pack, recipient=team.chair)
    job = Job.objects.get(pk=copy.job_id)
    assert job.state == Job.State.DONE
    assert not job.result
    assert job_result_access(team.chair, job) == ResultAccess.READY


@pytest.mark.parametrize("door", ["page", "api", "job", "api-job"])
def test_every_door_expires_with_the_link(pack, team, client, door):
    _past(pack, 3)
    client.force_login(team.chair)
    response = _door(door, client, team.chair, pack)
    assert response.status_code == 410
    text = response.json()["detail"] if door.startswith("api") else response.content.decode()
    assert "expired 3 days after the panel" in text
    assert PanelPack.objects.get(panel=pack, recipient=team.chair).link_used_at is None
