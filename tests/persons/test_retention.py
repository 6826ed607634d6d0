"""Deleting a case's personal data at retention review removes what it gave the person
index too (issue 18): names, dates of birth, addresses, and its link to the person."""

import datetime

from django.utils import timezone

from persons.models import PersonAddress, PersonName
from referrals import services
from referrals.models import Referral
from referrals.retention import referral_delete_personal_data
from tests.referrals import factories as f


def test_retention_deletion_empties_the_case_s_index_rows(world):
    officer = f.officer_for(world)
    referral = f.assessed(world, officer=officer, subject={"last_name": "Penhaligon"})
    services.referral_transition(
        referral_id=referral.pk,
        name="close",
        actor=officer,
        payload={"reason": "no_further_action", "rationale": "No vulnerability found."},
    )
    Referral.objects.filter(pk=referral.pk).update(
        closed_at=timezone.now() - datetime.timedelta(days=365 * 4)
    )
    assert PersonName.objects.filter(referral=referral, last_name="Penhaligon").exists()
    referral_delete_personal_data(
        referral_id=referral.pk, actor=officer, reason="Review period passed.", confirmed=True
    )
    assert not PersonName.objects.filter(referral=referral).exists()
    assert not PersonAddress.objects.filter(referral=referral).exists()
    assert Referral.objects.get(pk=referral.pk).person_id is None
