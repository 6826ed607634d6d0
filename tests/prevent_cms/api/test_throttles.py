"""Rate limits (issue 23): past the configured rate an API call answers 429 with Retry-After."""

import socket

import pytest
from django.core.cache import caches
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import Role
from prevent_cms.settings.base import caches_for

USERS = "/api/v1/users/"


@pytest.fixture
def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


EXPORTS = "/api/v1/reports/exports/"


@pytest.fixture
def low_rates(settings):
    settings.API_THROTTLE_RATES = {"read": "3/minute", "write": "3/minute", "job": "1/hour"}


def test_reads_past_the_rate_answer_429_with_retry_after(world, low_rates):
    client = APIClient()
    client.force_authenticate(world.user(Role.CHANNEL_CHAIR, agency=world.council_a))
    assert [client.get(USERS).status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get(USERS)
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert refused.json()["detail"]


def test_each_person_has_their_own_budget(world, low_rates):
    for _ in range(2):
        client = APIClient()
        client.force_authenticate(world.user(Role.CHANNEL_CHAIR, agency=world.council_a))
        assert [client.get(USERS).status_code for _ in range(3)] == [200, 200, 200]


def test_job_starts_have_their_own_budget(world, low_rates, django_capture_on_commit_callbacks):
    client = APIClient()
    client.force_authenticate(world.user(Role.BOROUGH_LEAD, agency=world.council_a))
    body = {"format": "csv", "from": "2024-04-01", "to": "2025-03-31"}
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(EXPORTS, body, format="json").status_code == 202
        refused = client.post(EXPORTS, body, format="json")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 60  # an hourly budget
    assert client.get(USERS).status_code == 200  # reads still go through


def test_a_token_is_counted_as_itself_and_as_its_person(world, settings):
    settings.API_THROTTLE_RATES = {"read": "2/minute"}
    user = world.user(Role.CHANNEL_CHAIR, agency=world.council_a)
    token = Token.objects.create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert [client.get(USERS).status_code for _ in range(3)] == [200, 200, 429]
    session = APIClient()
    session.force_authenticate(user)
    assert session.get(USERS).status_code == 429  # the same person's budget is spent


def test_the_counts_are_shared_through_redis_when_there_is_one(settings):
    assert settings.REDIS_URL, "the suite runs with Redis (scripts/services.sh)"
    assert caches["throttle"].__class__.__name__ == "RedisCache"


def test_an_unreachable_throttle_cache_lets_calls_through(world, settings, free_port):
    """A rate limit protects the service; Redis being down must not take the API down."""
    settings.CACHES = caches_for(f"redis://127.0.0.1:{free_port}/0")  # nothing listens there
    client = APIClient()
    client.force_authenticate(world.user(Role.CHANNEL_CHAIR, agency=world.council_a))
    assert client.get(USERS).status_code == 200
