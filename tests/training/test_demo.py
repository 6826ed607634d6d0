"""Demo data: a few hundred records with a realistic spread, added once."""

from accounts.demo import seed_people
from training.demo import seed_training
from training.models import Course, TrainingRecord
from training.selectors import coverage_for


def test_seed_is_idempotent_with_a_spread_of_statuses(db):
    people = seed_people()
    added = seed_training(people)
    assert 250 <= added <= 600
    assert seed_training(people) == 0
    assert TrainingRecord.objects.count() == added
    assert Course.objects.filter(code="wrap").exists()
    coverage = coverage_for(people["borough-lead-a"])
    total = coverage.total
    assert total.current > total.expiring_soon > 0
    assert total.expired > 0
    assert 50 < total.percent_in_date < 95
    assert {row.label for row in coverage.by_agency} >= {"Northbridge Academy"}
