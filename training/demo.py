"""Demo training data for ``manage.py seed_demo``: courses, and a few hundred records.

Idempotent: an agency that already has staff is left as it is. Names are obviously fictional
and e-mail addresses use the reserved ``example.org`` domain. The spread is fixed (seeded
random numbers) so screenshots and demos look the same each time.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils.text import slugify

from accounts.models import Agency, Sector

from .courses import ensure_standard_courses
from .dates import today
from .models import (
    Course,
    CourseKind,
    CourseProvider,
    CourseValidity,
    DeliveryMode,
    StaffMember,
    StaffRole,
    TrainingRecord,
)
from .services import ValidityTable

FIRST_NAMES = [
    "Aled",
    "Amara",
    "Bethan",
    "Callum",
    "Dafydd",
    "Deepa",
    "Eilidh",
    "Femi",
    "Gareth",
    "Hana",
    "Iwan",
    "Jasmine",
    "Kwame",
    "Leah",
    "Megan",
    "Nia",
    "Oliver",
    "Priya",
    "Rhys",
    "Sian",
    "Tomos",
    "Usha",
    "Wren",
    "Yusuf",
    "Zara",
    "Imran",
    "Grace",
    "Harvey",
    "Ffion",
    "Nathan",
]
LAST_NAMES = [
    "Ashby",
    "Bevan",
    "Chowdhury",
    "Davies",
    "Ellis",
    "Fraser",
    "Griffiths",
    "Hussain",
    "Iqbal",
    "Jenkins",
    "Khan",
    "Lloyd",
    "Morgan",
    "Nwosu",
    "Owen",
    "Patel",
    "Quinn",
    "Rees",
    "Singh",
    "Thomas",
    "Underwood",
    "Vaughan",
    "Walsh",
    "Yates",
]
DEPARTMENTS = {
    Sector.EDUCATION: ["Year 7 team", "Sixth form", "Pastoral care", "Science", "Front office"],
    Sector.HEALTH: ["Emergency department", "Community nursing", "Mental health", "Reception"],
    Sector.LOCAL_AUTHORITY: ["Children's services", "Housing", "Libraries", "Early help"],
    Sector.PROBATION: ["Case management", "Approved premises", "Unpaid work"],
    Sector.COMMUNITY: ["Youth work", "Faith outreach", "Volunteers"],
    Sector.POLICE: ["Prevent team", "Neighbourhood policing"],
}


def _local_courses() -> dict[str, Course]:
    awareness = ensure_standard_courses()["awareness"]
    wrap, _created = Course.objects.get_or_create(
        code="wrap",
        defaults={
            "title": "WRAP workshop",
            "description": "Workshop to Raise Awareness of Prevent, delivered locally.",
            "provider": CourseProvider.LOCAL,
            "kind": CourseKind.FULL,
            "order": 50,
            "other_names": "Workshop to Raise Awareness of Prevent",
        },
    )
    CourseValidity.objects.get_or_create(
        course=awareness, sector=Sector.HEALTH, role="", defaults={"valid_months": 36}
    )
    return {c.code: c for c in Course.objects.all()}


def _person(rng: random.Random, agency: Agency, index: int) -> StaffMember:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    domain = slugify(agency.name)[:40]
    roles = [StaffRole.PRACTITIONER] * 6 + [
        StaffRole.SUPPORT,
        StaffRole.SUPPORT,
        StaffRole.SENIOR_LEADER,
        StaffRole.VOLUNTEER,
    ]
    role = StaffRole.SAFEGUARDING_LEAD if index < 2 else rng.choice(roles)
    return StaffMember(
        agency=agency,
        name=f"{first} {last}",
        email=f"{first}.{last}.{index}@{domain}.example.org".lower(),
        department=rng.choice(DEPARTMENTS.get(agency.sector, ["Operations"])),
        role=role,
        frontline=role in (StaffRole.PRACTITIONER, StaffRole.SAFEGUARDING_LEAD),
        contractor=rng.random() < 0.1,
        elected_member=agency.sector == Sector.LOCAL_AUTHORITY and rng.random() < 0.05,
    )


@transaction.atomic
def seed_training(people: dict | None = None) -> int:
    """Add staff and records to each demo agency without any. Returns records added."""
    courses = _local_courses()
    table = ValidityTable()
    on = today()
    added = 0
    agencies = Agency.objects.all()
    if people:
        authorities = {user.local_authority_id for user in people.values() if user.agency_id}
        agencies = agencies.filter(local_authority_id__in=authorities)
    for agency in agencies.order_by("name"):
        if StaffMember.objects.filter(agency=agency).exists():
            continue
        rng = random.Random(agency.name)
        staff = [_person(rng, agency, i) for i in range(rng.randint(14, 22))]
        StaffMember.objects.bulk_create(staff)
        records = []
        for person in staff:
            # Completed 3 weeks to 30 months ago: about a fifth expired, some expiring soon.
            completed = on - timedelta(days=rng.randint(20, 900))
            records.append(_record(table, courses["awareness"], person, completed))
            if person.role == StaffRole.SAFEGUARDING_LEAD or rng.random() < 0.15:
                later = min(completed + timedelta(days=rng.randint(1, 60)), on)
                records.append(_record(table, courses["referrals"], person, later))
            if person.role == StaffRole.SAFEGUARDING_LEAD and rng.random() < 0.6:
                records.append(_record(table, courses["channel_awareness"], person, completed))
            if rng.random() < 0.1:
                records.append(
                    _record(
                        table, courses["wrap"], person, on - timedelta(days=rng.randint(30, 400))
                    )
                )
        TrainingRecord.objects.bulk_create(records, ignore_conflicts=True)
        added += len(records)
    return added


def _record(table: ValidityTable, course: Course, person: StaffMember, completed) -> TrainingRecord:
    return TrainingRecord(
        staff=person,
        course=course,
        completed_on=completed,
        delivery_mode=DeliveryMode.FACE_TO_FACE if course.code == "wrap" else DeliveryMode.ONLINE,
        expires_on=table.expires_on(
            course, sector=person.agency.sector, role=person.role, completed_on=completed
        ),
    )
