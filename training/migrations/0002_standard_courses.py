"""The Home Office courses every installation starts with. Existing courses are left alone."""

from django.db import migrations

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


def add_courses(apps, schema_editor):
    Course = apps.get_model("training", "Course")
    by_code = {}
    for spec in STANDARD_COURSES:
        fields = {k: v for k, v in spec.items() if k not in ("code", "requires")}
        course, _created = Course.objects.get_or_create(code=spec["code"], defaults=fields)
        by_code[spec["code"]] = course
    for spec in STANDARD_COURSES:
        if "requires" in spec:
            course = by_code[spec["code"]]
            if course.requires_id is None:
                course.requires = by_code[spec["requires"]]
                course.save(update_fields=["requires"])


class Migration(migrations.Migration):
    dependencies = [("training", "0001_courses_staff_records_imports_reminders")]

    operations = [migrations.RunPython(add_courses, migrations.RunPython.noop)]
