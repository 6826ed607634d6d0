"""The chair's next panel on the Today list tells packs made from packs sent (issue 17):
made, a recipient's latest copy exists; sent, its pack-ready notice has reached them."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from channel.models import PanelPack
from channel.selectors import panel_pack_readiness
from channel.services.agenda import panel_add_case
from channel.services.packs import panel_pack_request
from channel.services.panels import panel_create
from prevent_cms.models import Notification
from prevent_cms.notifications import Kind
from tests.channel import factories as cf
from tests.referrals import factories as rf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def panel(world, team):
    """A panel in three days with one case; the chair, the officer and a member on it."""
    referral = cf.direct(rf.ChannelPanelFactory, world, team)
    panel = panel_create(
        actor=team.chair,
        date=cf.today() + datetime.timedelta(days=3),
        location="Town Hall",
        member_ids=[team.officer.pk, team.member.pk],
    )
    panel_add_case(panel_id=panel.pk, actor=team.chair, referral_id=referral.pk)
    return panel


def _panel_line(client) -> dict:
    response = client.get(reverse("api:my-work"))
    assert response.status_code == 200
    (line,) = [item for item in response.json()["items"] if item["kind"] == "panel_next"]
    return line


def _make_packs(panel, team, capture) -> None:
    with capture(execute=True):
        panel_pack_request(panel_id=panel.pk, actor=team.chair)


def test_the_chair_sees_packs_made_and_sent_and_a_failed_notice_is_not_sent(
    client, team, panel, django_capture_on_commit_callbacks
):
    client.force_login(team.chair)
    before = _panel_line(client)
    assert "1 case on the agenda, packs: none made yet" in before["label"]
    assert before["urgency"] == 20  # in three days and nothing made

    _make_packs(panel, team, django_capture_on_commit_callbacks)
    line = _panel_line(client)
    assert line["label"].endswith("1 case on the agenda, packs: 3 made, 3 sent")
    assert line["urgency"] == 50  # ready: nothing left to do before it meets
    assert line["url"].endswith(reverse("channel:panel", args=[panel.pk]))

    # The member's e-mail failed: their copy is made, not sent.
    member_copy = PanelPack.objects.get(panel=panel, recipient=team.member)
    Notification.objects.filter(recipient=team.member, key=f"pack_link:{member_copy.pk}").update(
        emailed_at=None
    )
    line = _panel_line(client)
    assert line["label"].endswith("packs: 3 made, 2 sent")
    assert line["urgency"] == 20
    assert "packs: 3 made, 2 sent" in client.get(reverse("home")).content.decode()
    # The page the line links to says the same.
    panel_page = client.get(reverse("channel:panel", args=[panel.pk])).content.decode()
    assert "Packs: 3 made, 2 sent" in panel_page

    # The officer takes notices in the app only: told, so sent, with no e-mail.
    officer_copy = PanelPack.objects.get(panel=panel, recipient=team.officer)
    Notification.objects.filter(recipient=team.officer, key=f"pack_link:{officer_copy.pk}").update(
        emailed_at=None, delivery=Notification.Delivery.IN_APP
    )
    assert panel_pack_readiness(panel) == {"made": 3, "sent": 2}


def test_a_pack_made_again_counts_each_recipients_latest_copy_and_its_own_notice(
    team, panel, django_capture_on_commit_callbacks
):
    _make_packs(panel, team, django_capture_on_commit_callbacks)
    _make_packs(panel, team, django_capture_on_commit_callbacks)
    assert PanelPack.objects.filter(panel=panel).count() == 6
    assert panel_pack_readiness(panel) == {"made": 3, "sent": 3}
    latest = PanelPack.objects.filter(panel=panel, recipient=team.chair).latest("created_at")
    Notification.objects.filter(kind=Kind.PACK_READY, key=f"pack_link:{latest.pk}").delete()
    # The older copy's notice does not count for the newer copy.
    assert panel_pack_readiness(panel) == {"made": 3, "sent": 2}


def test_the_members_line_keeps_saying_only_whether_packs_are_made(
    client, team, panel, django_capture_on_commit_callbacks
):
    _make_packs(panel, team, django_capture_on_commit_callbacks)
    client.force_login(team.member)
    line = _panel_line(client)
    assert line["label"].endswith("1 case on the agenda, packs made")
    assert "sent" not in line["label"]
    panel_page = client.get(reverse("channel:panel", args=[panel.pk])).content.decode()
    assert "data-pack-readiness" not in panel_page  # the chair's to know
