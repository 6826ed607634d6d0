"""The VAF 2012 framework as reference data, put back if a test flush or bare restore lost it.

The data migration (0002) is the source of the factors; this reuses its loader.
"""

import importlib

from django.apps import apps

from .models import AssessmentFactor

_VAF_MIGRATION = importlib.import_module("channel.migrations.0002_vaf_2012_framework")
# The framework as the API's schema states it: its code, ratings and factor codes.
VAF_CODE = "vaf_2012"
VAF_RATINGS: list[str] = list(_VAF_MIGRATION.RATINGS)
VAF_FACTOR_CODES: list[str] = [code for _dimension, code, _label in _VAF_MIGRATION.FACTORS]


def ensure_vaf() -> None:
    if AssessmentFactor.objects.filter(framework_id="vaf_2012").count() < len(
        _VAF_MIGRATION.FACTORS
    ):
        _VAF_MIGRATION.forwards(apps, None)
