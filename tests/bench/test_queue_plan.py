"""The officer's queue uses the open-cases index (EXPLAIN), as docs/performance.md says."""

import pytest
from django.db import connection

from accounts.models import User
from bench.synthetic import generate
from referrals.selectors import referral_queue

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def officer():
    generate(referrals=400, seed=3, regions=1, log=lambda _message: None)
    return User.objects.filter(role_grants__role="prevent_officer").order_by("username")[0]


def test_queue_first_page_uses_the_open_queue_index(officer):
    queryset = referral_queue(officer)[:25]
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a 400-row table would be seq-scanned
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "referral_open_queue_idx" in plan, plan
