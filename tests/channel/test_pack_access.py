"""A pack copy is authorised when it is read (issue 13): a case that leaves the agenda or
closes withdraws every copy that holds it, through every door; packs are purged 72 hours
after their panel."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Role, RoleGrant, User
from channel.models import PanelPack
from channel.selectors import panel_pack_readable_by
from channel.services.agenda import panel_add_case, panel_remove_case
from channel.services.packs import panel_pack_request
from channel.services.panels import panel_create, panel_hold
from prevent_cms.models import Job
from prevent_cms.purge import retention_purge
from referrals import services as referral_services
from tests.channel import factories as cf
from tests.referrals import factories as rf

pytestmark = pytest.mark.django_db

WITHDRAWN = "This pack is no longer available because a case in it has left the agenda"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _panel_with_pack(world, team, django_capture_on_commit_callbacks, *, hold: bool):
    first, second = (
        cf.direct(rf.ChannelPanelFactory, world, team),
        cf.direct(rf.ChannelPanelFactory, world, team),
    )
    panel = panel_create(
        actor=team.chair,
        date=cf.today(),
        location="Town Hall, room 2",
        member_ids=[team.officer.pk, team.member.pk],
    )
    for referral in (first, second):
        panel_add_case(panel_id=panel.pk, actor=team.chair, referral_id=referral.pk)
    if hold:
        panel_hold(
            panel_id=panel.pk,
            actor=team.chair,
            attended_ids=[team.chair.pk, team.officer.pk, team.member.pk],
            minutes="Discussed.",
        )
    with django_capture_on_commit_callbacks(execute=True):
        job = panel_pack_request(panel_id=panel.pk, actor=team.chair)
    return panel, job, first, second


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _doors(client, user, panel, job=None) -> dict[str, int]:
    """What each door answers ``user`` for a copy not yet downloaded: a copy works once by
    any door (issue 16, tests/channel/test_pack_links.py), so each door is asked afresh."""
    client.force_login(user)
    doors = {
        "page": lambda: client.get(reverse("channel:panel_pack", args=[panel.pk])),
        "api": lambda: _api(user).get(reverse("api:channel-panel-pack", args=[panel.pk])),
    }
    if job is not None:
        doors["job"] = lambda: client.get(reverse("job_download", args=[job.pk]))
        doors["api-job"] = lambda: _api(user).get(reverse("api:job-result", args=[job.pk]))
    answers = {}
    for door, ask in doors.items():
        answers[door] = ask().status_code
        PanelPack.objects.filter(panel=panel, recipient=user).update(link_used_at=None)
    return answers


def test_a_pack_is_withdrawn_when_a_case_leaves_the_agenda(
    world, team, client, django_capture_on_commit_callbacks
):
    panel, job, first, _second = _panel_with_pack(
        world, team, django_capture_on_commit_callbacks, hold=False
    )
    assert set(_doors(client, team.member, panel).values()) == {200}
    page = client.get(reverse("channel:panel", args=[panel.pk])).content.decode()
    assert reverse("channel:panel_pack", args=[panel.pk]) in page
    assert set(_doors(client, team.chair, panel, job).values()) == {200}

    panel_remove_case(panel_id=panel.pk, actor=team.chair, referral_id=first.pk)

    assert _doors(client, team.member, panel) == {"page": 410, "api": 410}
    # The chair may still see the case, but their copy no longer matches the agenda.
    assert set(_doors(client, team.chair, panel, job).values()) == {410}
    client.force_login(team.member)
    page = client.get(reverse("channel:panel_pack", args=[panel.pk])).content.decode()
    assert WITHDRAWN in page
    assert "Ask the chair for a new pack" in page
    body = _api(team.member).get(reverse("api:channel-panel-pack", args=[panel.pk])).json()
    assert body["detail"].startswith(WITHDRAWN)
    member = User.objects.get(pk=team.member.pk)
    copy = PanelPack.objects.get(job=job, recipient=team.member)
    assert not panel_pack_readable_by(member, copy)
    # The panel page says so instead of offering the download.
    panel_page = client.get(reverse("channel:panel", args=[panel.pk])).content.decode()
    assert WITHDRAWN in panel_page
    assert reverse("channel:panel_pack", args=[panel.pk]) not in panel_page


def test_a_pack_is_withdrawn_from_a_member_when_a_case_closes(
    world, team, client, django_capture_on_commit_callbacks
):
    panel, job, first, _second = _panel_with_pack(
        world, team, django_capture_on_commit_callbacks, hold=True
    )
    assert set(_doors(client, team.member, panel).values()) == {200}
    referral_services.referral_transition(
        referral_id=first.pk,
        name="close",
        actor=team.chair,
        payload={"reason": "moved_area", "rationale": "Moved to another area."},
    )
    assert _doors(client, team.member, panel) == {"page": 410, "api": 410}
    # The chair keeps full access to a closed case, and it is still on the agenda.
    assert set(_doors(client, team.chair, panel, job).values()) == {200}


def test_packs_are_purged_72_hours_after_the_panel(
    world, team, client, django_capture_on_commit_callbacks
):
    panel, job, _first, _second = _panel_with_pack(
        world, team, django_capture_on_commit_callbacks, hold=True
    )
    copies = list(PanelPack.objects.filter(panel=panel))
    names = [copy.file.name for copy in copies]
    storage = copies[0].file.storage
    panel_start = timezone.make_aware(datetime.datetime.combine(panel.date, datetime.time()))

    kept = retention_purge(now=panel_start + datetime.timedelta(hours=71))
    assert kept["panel_packs"] == 0
    assert all(storage.exists(name) for name in names)

    counts = retention_purge(now=panel_start + datetime.timedelta(hours=72))
    assert counts["panel_packs"] == len(copies) == 3
    assert not any(storage.exists(name) for name in names)
    assert not PanelPack.objects.filter(panel=panel, purged_at__isnull=True).exists()
    job.refresh_from_db()
    assert job.purged_at is not None  # the owner's copy goes too
    assert not job.result
    again = retention_purge(now=panel_start + datetime.timedelta(hours=73))
    assert again["panel_packs"] == 0

    assert _doors(client, team.member, panel) == {"page": 410, "api": 410}
    client.force_login(team.member)
    page = client.get(reverse("channel:panel_pack", args=[panel.pk])).content.decode()
    assert "This pack was deleted 3 days after the panel" in page
    client.force_login(team.chair)
    owner_copy = client.get(reverse("job_download", args=[job.pk]))
    assert owner_copy.status_code == 410
    assert "This pack was deleted 3 days after the panel" in owner_copy.content.decode()
    assert Job.objects.filter(pk=job.pk, purged_at__isnull=False).exists()


def test_a_chairs_pack_is_refused_once_the_chair_loses_the_role(
    world, team, client, django_capture_on_commit_callbacks
):
    panel, job, _first, _second = _panel_with_pack(
        world, team, django_capture_on_commit_callbacks, hold=True
    )
    assert set(_doors(client, team.chair, panel, job).values()) == {200}
    RoleGrant.objects.filter(user=team.chair, role=Role.CHANNEL_CHAIR).delete()
    chair = User.objects.get(pk=team.chair.pk)
    # Still a member of the panel on paper, but no longer one who may see its cases.
    answers = _doors(client, chair, panel, job)
    assert answers["job"] == 410
    assert answers["api-job"] == 410
    assert answers["page"] in (404, 410)
    assert answers["api"] in (404, 410)
