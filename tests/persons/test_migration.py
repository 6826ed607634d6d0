"""The migration that gives every referral already sent a person of its own (issue 18) runs
forwards, backwards and forwards again on a copy of the synthetic data, and leaves the
referrals' own subject fields as they were."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from bench.synthetic import generate
from persons.models import Person, PersonAddress, PersonName
from referrals.models import Referral

BEFORE = [("referrals", "0009_persons_referral_person")]
AFTER = [("referrals", "0010_persons_one_person_per_referral")]


def _migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def _subjects() -> dict:
    return {
        pk: (first, last, dob)
        for pk, first, last, dob in Referral.objects.values_list(
            "pk", "subject__first_name", "subject__last_name", "subject__date_of_birth"
        )
    }


@pytest.mark.django_db(transaction=True)
def test_one_person_per_referral_forwards_backwards_forwards():
    # The data as it was before the person index (the generator now fills the index).
    generate(referrals=120, seed=18, regions=1, log=lambda _line: None, persons=False)
    sent = Referral.objects.exclude(state="draft")
    drafts = Referral.objects.filter(state="draft")
    assert sent.count() > 50
    assert not Referral.objects.filter(person__isnull=False).exists()  # as loaded: no index
    subjects = _subjects()
    try:
        _migrate(BEFORE)
        _migrate(AFTER)
        assert Person.objects.count() == sent.count()
        assert sent.filter(person__isnull=True).count() == 0
        assert drafts.filter(person__isnull=False).count() == 0  # indexed when submitted
        assert sent.values("person").distinct().count() == sent.count()  # one each
        for referral in sent.select_related("subject")[:20]:
            main = PersonName.objects.get(person=referral.person_id, is_alias=False)
            assert (main.first_name, main.last_name, main.date_of_birth) == (
                referral.subject.first_name,
                referral.subject.last_name,
                referral.subject.date_of_birth,
            )
            assert main.referral_id == referral.pk
            assert main.last_key
            assert PersonAddress.objects.filter(person=referral.person_id).exists()
        first_run = dict(sent.values_list("pk", "person"))

        _migrate(BEFORE)
        assert not Person.objects.exists()
        assert not PersonName.objects.exists()
        assert not Referral.objects.filter(person__isnull=False).exists()

        _migrate(AFTER)
        assert Person.objects.count() == sent.count()
        assert set(dict(sent.values_list("pk", "person"))) == set(first_run)
        assert _subjects() == subjects  # the referrals' own subject fields are untouched
    finally:
        executor = MigrationExecutor(connection)
        _migrate(executor.loader.graph.leaf_nodes())  # every app as the suite expects it
