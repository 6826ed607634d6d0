"""Load the Home Office type-of-concern scheme used since 2024/25 (DOMAIN.md §Statistics)."""

from django.db import migrations

from referrals.reference_data import load_concern_types


def load(apps, schema_editor):
    load_concern_types(apps.get_model("referrals", "ConcernType"))


class Migration(migrations.Migration):
    dependencies = [("referrals", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
