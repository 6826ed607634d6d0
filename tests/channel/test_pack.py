"""Panel packs: per-recipient content, watermark, page numbers, safe fetching, idempotency."""

import datetime
import io
import shutil
import subprocess

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from accounts.models import Role, User
from channel.models import PanelPack
from channel.pdf import pack_context, previous_panel, render_pack
from channel.selectors import panel_packs_visible_to
from channel.services.agenda import panel_add_case
from channel.services.packs import panel_pack_request
from channel.services.panels import (
    agency_update_add,
    panel_action_add,
    panel_create,
    panel_set_members,
)
from channel.tasks import generate_panel_pack
from prevent_cms.models import AuditEvent, Job
from referrals import services as referral_services
from referrals.choices import State
from referrals.models import Referral
from referrals.selectors import Access, referral_access, referral_accesses
from tests.channel import factories as cf
from tests.factories import UserFactory
from tests.helpers import assert_pack_generation_audited_once
from tests.referrals import factories as rf

pytestmark = pytest.mark.django_db


def text_of(pdf: bytes) -> tuple[str, list[str]]:
    reader = PdfReader(io.BytesIO(pdf))
    pages = [page.extract_text() or "" for page in reader.pages]
    return "\n".join(pages), pages


def test_user_text_with_an_image_fetches_nothing(world, team):
    referral = cf.direct(
        rf.ChannelPanelFactory,
        world,
        team,
        concern_summary='<img src="file:///etc/passwd"> Concern text.',
    )
    panel = cf.held_panel(world, team, referral)
    pdf, _pages = render_pack(panel, team.chair)
    text, _ = text_of(pdf)
    assert '<img src="file:///etc/passwd">' in text.replace("\n", " ")  # shown, not fetched
    assert "root:x:0" not in text


def test_each_recipient_gets_only_their_cases(world, team):
    shared = cf.direct(rf.ChannelPanelFactory, world, team)
    private = cf.direct(rf.ChannelPanelFactory, world, team)
    panel = cf.held_panel(world, team, shared)
    panel_set_members(
        panel_id=panel.pk, actor=team.chair, member_ids=[team.officer.pk, team.member.pk]
    )
    # The second case is on another panel the member is not on.
    other = panel_create(actor=team.chair, date=cf.today(), location="Room 9")
    panel_add_case(panel_id=other.pk, actor=team.chair, referral_id=private.pk)

    chair_text, chair_pages = text_of(render_pack(panel, team.chair)[0])
    member_text, member_pages = text_of(render_pack(panel, team.member)[0])
    assert shared.reference in member_text
    assert private.reference not in member_text
    assert shared.reference in chair_text
    # Police gateway detail is for full access only.
    assert "Police gateway assessment" in chair_text
    assert "Police gateway assessment" not in member_text
    # Watermark and page numbers on every page.
    for number, page in enumerate(member_pages, start=1):
        assert team.member.display_name in page
        assert f"Page {number} of {len(member_pages)}" in page
    assert "OFFICIAL-SENSITIVE" in member_text
    assert "Confidentiality" in member_text
    assert "Agenda" in member_text
    assert "Previous actions" in member_text


def test_pack_job_is_idempotent(world, team, django_capture_on_commit_callbacks):
    referral = cf.direct(rf.ChannelPanelFactory, world, team)
    panel = cf.held_panel(world, team, referral)
    with django_capture_on_commit_callbacks(execute=True):
        job = panel_pack_request(panel_id=panel.pk, actor=team.chair)
    job.refresh_from_db()
    assert job.state == Job.State.DONE
    # Redelivered after the worker died mid-way: pretend it was still running.
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING)
    generate_panel_pack(str(job.pk))
    generate_panel_pack(str(job.pk))
    members = panel.members.count()
    assert PanelPack.objects.filter(job=job).count() == members == 3
    assert_pack_generation_audited_once(job, panel, [referral])


def test_each_copy_is_audited_against_each_case_it_holds(
    world, team, django_capture_on_commit_callbacks
):
    shared = cf.direct(rf.ChannelPanelFactory, world, team)
    chair_only = cf.direct(rf.ChannelPanelFactory, world, team)
    panel = panel_create(
        actor=team.chair,
        date=cf.today(),
        location="Room 3",
        member_ids=[team.officer.pk, team.member.pk],
    )
    for referral in (shared, chair_only):
        panel_add_case(panel_id=panel.pk, actor=team.chair, referral_id=referral.pk)
    # A closed case stays on the agenda for the chair, but panel members no longer see it.
    Referral.objects.filter(pk=chair_only.pk).update(state=State.CLOSED)
    with django_capture_on_commit_callbacks(execute=True):
        job = panel_pack_request(panel_id=panel.pk, actor=team.chair)
    copies = {c.recipient_id: c for c in PanelPack.objects.filter(job=job)}
    assert copies[team.chair.pk].referral_ids == [str(shared.pk), str(chair_only.pk)]
    assert copies[team.member.pk].referral_ids == [str(shared.pk)]
    events = AuditEvent.objects.filter(action="channel.pack.generated", detail__job=str(job.pk))
    for copy in copies.values():
        mine = events.filter(detail__recipient=str(copy.recipient_id))
        assert sorted(mine.values_list("object_type", "object_id")) == sorted(
            [("channel.panel", str(panel.pk))]
            + [("referrals.referral", pk) for pk in copy.referral_ids]
        )
        for event in mine:
            assert event.actor_id == team.chair.pk
            assert event.detail == {
                "panel": str(panel.pk),
                "recipient": str(copy.recipient_id),
                "pack": str(copy.pk),
                "job": str(job.pk),
            }


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils not installed")
def test_pack_renders_to_png(world, team, tmp_path):
    referral = cf.direct(cf.SupportFactory, world, team)
    cf.intervention(team, referral)
    panel = panel_create(
        actor=team.chair, date=cf.today(), location="Room", member_ids=[team.member.pk]
    )
    panel_add_case(panel_id=panel.pk, actor=team.chair, referral_id=referral.pk)
    pdf, pages = render_pack(panel, team.member)
    (tmp_path / "pack.pdf").write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "50",
            "-f",
            "1",
            "-l",
            "2",
            str(tmp_path / "pack.pdf"),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    assert sorted(p.name for p in tmp_path.glob("page-*.png"))


def test_twenty_case_pack_renders_every_case(world, team):
    """A full agenda renders: its time is bench row 6 (``make bench``), never asserted here."""
    panel = panel_create(
        actor=team.chair, date=cf.today(), location="Room", member_ids=[team.officer.pk]
    )
    for _ in range(20):
        referral = cf.direct(rf.ChannelPanelFactory, world, team)
        cf.assess(team, referral)
        panel_add_case(panel_id=panel.pk, actor=team.chair, referral_id=referral.pk)
    _pdf, pages = render_pack(panel, team.chair)
    assert pages >= 20


def test_non_member_gets_no_pack(world, team):
    stranger = UserFactory(agency=world.health_a, roles=[Role.PANEL_MEMBER])
    referral = cf.direct(rf.ChannelPanelFactory, world, team)
    panel = cf.held_panel(world, team, referral)
    assert not panel_packs_visible_to(stranger).filter(panel=panel).exists()


def _fill_case(world, team, panel) -> None:
    """A support case on ``panel`` with every section of the pack filled, twice assessed."""
    referral = cf.direct(cf.SupportFactory, world, team)
    cf.assess(team, referral, "moderate")  # a previous assessment to compare with
    cf.intervention(team, referral)
    cf.review(team, referral)
    panel_add_case(panel_id=panel.pk, actor=team.chair, referral_id=referral.pk)
    panel_action_add(
        panel_id=panel.pk,
        actor=team.chair,
        description="Speak to the school",
        owner_id=team.member.pk,
        referral_id=referral.pk,
    )
    agency_update_add(
        panel_id=panel.pk, referral_id=referral.pk, actor=team.member, text="Attending."
    )


def _previous_actions(team, panel, count: int) -> None:
    """As many actions on the panel before ``panel`` as its agenda has cases."""
    earlier = previous_panel(panel)
    for _ in range(count):
        panel_action_add(
            panel_id=earlier.pk, actor=team.chair, description="Chase GP", owner_id=team.member.pk
        )


def _pack_queries(panel, recipient_pk) -> tuple[int, dict]:
    recipient = User.objects.get(pk=recipient_pk)  # as the task reads it: nothing cached
    with CaptureQueriesContext(connection) as captured:
        context = pack_context(panel, recipient, cf.today())
        render_to_string("channel/pack.html", context)
    return len(captured), context


@pytest.mark.parametrize("who", ["chair", "officer", "member"])
def test_pack_queries_do_not_grow_with_cases(
    world, team, who, django_assert_num_queries, django_assert_max_num_queries
):
    panel = panel_create(
        actor=team.chair,
        date=cf.today() + datetime.timedelta(days=7),
        location="Room",
        member_ids=[team.officer.pk, team.member.pk],
    )
    recipient = getattr(team, who)
    for _ in range(2):
        _fill_case(world, team, panel)
    _previous_actions(team, panel, 2)
    with django_assert_max_num_queries(30):
        two, context = _pack_queries(panel, recipient.pk)
    assert len(context["cases"]) == 2
    for _ in range(4):
        _fill_case(world, team, panel)
    _previous_actions(team, panel, 6)
    with django_assert_num_queries(two):
        six, context = _pack_queries(panel, recipient.pk)
    # Every section was read (and so counted), for every case.
    assert len(context["cases"]) == 6
    assert len(context["previous_actions"]) == 6
    full = who != "member"
    for case in context["cases"]:
        assert case["full"] is full
        assert (case["police"] is not None) is full
        for section in ("updates", "consents", "interventions", "reviews", "actions"):
            assert case[section], section
        assert any(row["changed"] for row in case["changes"])


def test_access_for_the_whole_agenda_is_the_one_case_rule(world, team):
    shared = cf.direct(rf.ChannelPanelFactory, world, team)
    closed = cf.direct(cf.ClosedViaChannelFactory, world, team)
    cf.held_panel(world, team, shared)
    other_chair = UserFactory(agency=world.council_b, roles=[Role.CHANNEL_CHAIR])
    referral_services.referral_break_glass(
        referral_id=shared.pk, actor=other_chair, reason="Seen at A&E in our borough."
    )
    cases = [shared, closed]
    seen = set()
    for user in (team.chair, team.officer, team.member, team.provider, other_chair):
        one_by_one = {case.pk: referral_access(user, case) for case in cases}
        assert referral_accesses(user, cases) == one_by_one, user.username
        seen.update(one_by_one.values())
    assert {Access.FULL, Access.PANEL, Access.NONE} <= seen
