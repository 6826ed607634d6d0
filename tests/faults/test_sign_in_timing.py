"""No user enumeration by timing: a failed sign-in does the same work for a real name as for
an unknown one.

With the production password hasher (Django's default PBKDF2, not the test suite's MD5) the
hash is nearly all of a failed sign-in's time, so "as long" is proved by counting, not by a
clock (a clock flakes on a busy machine): each kind of attempt runs PBKDF2 exactly once, with
the production number of iterations, and makes the same number of database queries.
django-axes attempts are cleared between tries so the lockout page (which skips hashing)
never answers.
"""

import pytest
from axes.models import AccessAttempt
from django.conf import global_settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import Role

pytestmark = pytest.mark.django_db


class CountingPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    """Django's PBKDF2 hasher, unchanged, noting the iterations of every hash it computes."""

    runs: list[int] = []

    def encode(self, password, salt, iterations=None):
        self.runs.append(iterations or self.iterations)
        return super().encode(password, salt, iterations)


def _failed_sign_in(client: Client, username: str) -> tuple[list[int], int]:
    """The hashes one failed sign-in computed, and how many queries it made."""
    CountingPBKDF2PasswordHasher.runs.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/accounts/login/", {"username": username, "password": "wrong-Pa55"})
    assert response.status_code == 200
    assert "Enter a correct username and password" in response.content.decode()
    AccessAttempt.objects.all().delete()
    return list(CountingPBKDF2PasswordHasher.runs), len(queries)


def test_failed_sign_in_does_the_same_work_for_real_and_unknown_names(world, settings):
    production = global_settings.PASSWORD_HASHERS
    assert production[0] == "django.contrib.auth.hashers.PBKDF2PasswordHasher"
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingPBKDF2PasswordHasher", *production[1:]]
    user = world.user(Role.REFERRER)
    user.set_password("A-real-Pa55word-for-this-test")
    user.save()
    assert user.password.startswith(f"pbkdf2_sha256${PBKDF2PasswordHasher.iterations}$")
    client = Client()
    real_hashes, real_queries = _failed_sign_in(client, user.username)
    unknown_hashes, unknown_queries = _failed_sign_in(client, "nobody-by-this-name")
    assert real_hashes == unknown_hashes == [PBKDF2PasswordHasher.iterations]
    assert real_queries == unknown_queries
