"""A hand-counted fixture: thirteen referrals in Northbridge in 2024/25, plus four that must
not count. The expected tables in test_statistics.py were counted by hand from this list."""

import datetime
import zoneinfo
from dataclasses import dataclass

import pytest

from accounts.models import Role
from referrals.models import PoliceAssessment, Referral, Subject
from tests.factories import UserFactory
from tests.referrals import factories as rf

LONDON = zoneinfo.ZoneInfo("Europe/London")
FY_2024 = ("2024-04-01", "2025-03-31")


def at(day: str, time: str = "10:00") -> datetime.datetime:
    return datetime.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=LONDON)


def _set(referral, *, submitted, dob, gender, **fields) -> Referral:
    Referral.objects.filter(pk=referral.pk).update(submitted_at=submitted, **fields)
    Subject.objects.filter(pk=referral.subject_id).update(
        date_of_birth=datetime.date.fromisoformat(dob) if dob else None, gender=gender
    )
    return Referral.objects.get(pk=referral.pk)


@dataclass
class StatsWorld:
    world: object
    referrals: dict
    chair: object


def _discuss(world, chair, referral, *, held=True):
    from channel.models import AgendaItem, Panel

    panel = Panel.objects.create(
        local_authority=world.la_a,
        chair=chair,
        date=datetime.date(2025, 3, 1),
        location="Town hall",
        held_at=at("2025-03-01") if held else None,
    )
    AgendaItem.objects.create(panel=panel, referral=referral)


@pytest.fixture
def stats_world(world):
    chair = UserFactory(agency=world.council_a, roles=[Role.CHANNEL_CHAIR])

    def ref(factory, agency, **kwargs):
        # Straight to the database: the tables count states and dates, not how they came.
        return factory(referrer=rf.referrer_for(world, agency=agency), **kwargs)

    r = {}
    r[1] = _set(
        ref(rf.SubmittedFactory, world.school_a, concern_types=["islamist"]),
        submitted=at("2024-04-01", "09:00"),
        dob="2010-04-02",
        gender="male",
    )
    r[2] = _set(
        ref(rf.AssessedFactory, world.school_a, concern_types=["islamist"]),
        submitted=at("2024-06-15"),
        dob="2008-06-15",
        gender="female",
    )
    r[3] = _set(
        ref(rf.ClosedByPoliceFactory, world.police_a),
        submitted=at("2024-09-10"),
        dob="2006-09-11",
        gender="male",
    )
    r4 = ref(
        rf.ClosedByPoliceFactory,
        world.health_a,
        closure_reason="signposted",
        signposted_to="mental_health",
    )
    r[4] = _set(r4, submitted=at("2024-11-01"), dob=None, gender="")
    r[5] = _set(
        ref(rf.SubmittedFactory, world.council_a, concern_types=[]),
        submitted=at("2025-03-31", "23:30"),
        dob="1960-01-01",
        gender="other",
    )
    r[6] = _set(
        ref(rf.PoliceLedFactory, world.community_a),
        submitted=at("2024-05-05"),
        dob="1994-05-06",
        gender="male",
    )
    r[7] = _set(
        ref(rf.ChannelPanelFactory, world.school_a),
        submitted=at("2024-07-01"),
        dob="2014-07-01",
        gender="male",
    )
    r[8] = _set(
        ref(rf.ChannelPanelFactory, world.school_a),
        submitted=at("2024-08-01"),
        dob="2004-01-01",
        gender="male",
    )
    _discuss(world, chair, r[8])
    r[9] = _set(
        ref(rf.ChannelPanelFactory, world.police_a),
        submitted=at("2024-10-01"),
        dob="1990-10-01",
        gender="male",
        state="closed",
        closure_reason="not_adopted",
        closed_at=at("2025-03-01"),
    )
    PoliceAssessment.objects.filter(referral=r[9]).update(concern_type_id="left_wing")
    _discuss(world, chair, r[9])
    r[10] = _set(
        ref(rf.ChannelPanelFactory, world.health_a),
        submitted=at("2024-12-01"),
        dob="1980-12-02",
        gender="female",
        state="awaiting_consent",
        adopted_at=at("2025-03-01"),
    )
    _discuss(world, chair, r[10])
    r[11] = _set(
        ref(rf.ChannelPanelFactory, world.school_a),
        submitted=at("2025-01-15"),
        dob="1970-01-15",
        gender="male",
        state="closed",
        adopted_at=at("2025-02-01"),
        closure_reason="consent_declined",
    )
    _discuss(world, chair, r[11])
    r[12] = _set(
        ref(rf.ChannelPanelFactory, world.school_a),
        submitted=at("2025-02-01"),
        dob="2009-03-01",
        gender="male",
        state="post_exit_review",
        adopted_at=at("2025-02-10"),
        exited_at=at("2025-03-20"),
    )
    _discuss(world, chair, r[12])
    r[13] = _set(
        ref(rf.ChannelPanelFactory, world.community_a),
        submitted=at("2024-04-20"),
        dob="2011-01-01",
        gender="male",
    )
    _discuss(world, chair, r[13], held=False)

    # Must not count: before and after the year (local time), another borough, a draft.
    r["before"] = _set(
        ref(rf.SubmittedFactory, world.school_a),
        submitted=at("2024-03-31", "23:30"),
        dob="2000-01-01",
        gender="male",
    )
    r["after"] = _set(
        ref(rf.SubmittedFactory, world.school_a),
        submitted=at("2025-04-01", "00:30"),
        dob="2000-01-01",
        gender="male",
    )
    r["other_borough"] = _set(
        ref(rf.SubmittedFactory, world.school_b),
        submitted=at("2024-06-01"),
        dob="2000-01-01",
        gender="male",
    )
    r["draft"] = ref(rf.DraftFactory, world.school_a)
    return StatsWorld(world=world, referrals=r, chair=chair)
