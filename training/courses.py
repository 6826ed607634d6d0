"""The Home Office courses every installation starts with.

The data migration ``0002_standard_courses`` holds its own frozen copy; this one lets demo data
and tests put them back after a database has been emptied.
"""

from django.db import transaction

from .models import Course

STANDARD_COURSES = [
    {
        "code": "awareness",
        "title": "Prevent awareness",
        "provider": "home_office",
        "kind": "full",
        "order": 10,
        "description": "Home Office e-learning, 30 to 40 minutes. The first course for everyone.",
        "other_names": "Prevent awareness e-learning\nPrevent Awareness eLearning\n"
        "Home Office Prevent awareness\nPrevent awareness course",
    },
    {
        "code": "referrals",
        "title": "Prevent referrals",
        "provider": "home_office",
        "kind": "full",
        "order": 20,
        "requires": "awareness",
        "description": "Home Office e-learning for designated safeguarding leads and anyone who "
        "refers. Taken after Prevent awareness.",
        "other_names": "Prevent referrals e-learning\nPrevent Referrals eLearning\n"
        "Prevent referral training",
    },
    {
        "code": "channel_awareness",
        "title": "Channel and PMAP awareness",
        "provider": "home_office",
        "kind": "full",
        "order": 30,
        "description": "Home Office e-learning for Channel panel members and chairs.",
        "other_names": "Channel awareness\nChannel awareness e-learning\nPMAP awareness",
    },
    {
        "code": "refresher",
        "title": "Prevent refresher",
        "provider": "home_office",
        "kind": "refresher",
        "order": 40,
        "description": "Home Office refresher for people who have done the full courses.",
        "other_names": "Prevent refresher training\nPrevent awareness refresher",
    },
]


@transaction.atomic
def ensure_standard_courses() -> dict[str, Course]:
    """Create any missing standard course (existing ones are left as administrators set them)."""
    courses = {}
    for spec in STANDARD_COURSES:
        fields = {k: v for k, v in spec.items() if k not in ("code", "requires")}
        courses[spec["code"]], _created = Course.objects.get_or_create(
            code=spec["code"], defaults=fields
        )
    for spec in STANDARD_COURSES:
        course = courses[spec["code"]]
        if "requires" in spec and course.requires_id is None:
            course.requires = courses[spec["requires"]]
            course.save(update_fields=["requires"])
    return courses


def ensure_courses_exist() -> None:
    """Reference-data hook: put the standard courses back if the table was emptied."""
    if not Course.objects.exists():
        ensure_standard_courses()
