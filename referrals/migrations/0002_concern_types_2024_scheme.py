"""Load the Home Office type-of-concern scheme used since 2024/25 (DOMAIN.md §Statistics)."""

from django.db import migrations

CONCERN_TYPES = [
    ("islamist", "Islamist"),
    ("extreme_right_wing", "Extreme right-wing"),
    ("left_wing", "Left-wing, anarchist or single-issue"),
    ("other_ideology", "Other ideology"),
    ("conflicted", "Conflicted"),
    ("school_massacre", "School massacre"),
    ("extreme_violence_fascination", "Fascination with extreme violence (no other ideology)"),
    ("no_ideology_vulnerability", "Vulnerability present, no ideology or CT risk"),
    ("high_ct_risk_no_ideology", "High CT risk, no ideology"),
    ("unclear", "Unclear"),
]


def load(apps, schema_editor):
    ConcernType = apps.get_model("referrals", "ConcernType")
    for order, (code, label) in enumerate(CONCERN_TYPES):
        ConcernType.objects.update_or_create(
            code=code, defaults={"label": label, "scheme": "2024", "order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("referrals", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
