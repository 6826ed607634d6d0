"""/healthz, /readyz and /metrics for load balancers and monitoring (issue 20)."""

import re
import socket

import pytest
from django.test import override_settings

from prevent_cms.models import OutboxMessage
from prevent_cms.tasks import audit_export_for_object, relay_outbox

TOKEN = "metrics-token-for-tests-only"


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def sample(text: str, name: str, **labels) -> float | None:
    """The value of one Prometheus sample in ``text``, or None when absent."""
    for line in text.splitlines():
        match = re.match(rf"^{re.escape(name)}(?:\{{(.*)\}})? (\S+)$", line)
        if not match:
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', match.group(1) or ""))
        if all(found.get(key) == value for key, value in labels.items()):
            return float(match.group(2))
    return None


# --- /healthz and /readyz -----------------------------------------------------------------


def test_healthz_answers_without_a_sign_in_and_says_nothing_else(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_checks_the_database_redis_and_storage(client, settings):
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    checks = response.json()["checks"]
    assert checks["database"] == "ok"
    assert checks["storage"] == "ok"
    assert ("redis" in checks) == bool(settings.REDIS_URL)
    assert set(checks.values()) == {"ok"}


@pytest.mark.django_db
def test_readyz_answers_503_naming_redis_when_redis_is_down_and_no_address(client):
    port = closed_port()
    with override_settings(REDIS_URL=f"redis://:secret-word@127.0.0.1:{port}/0"):
        response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down"
    assert body["down"] == ["redis"]
    assert body["checks"]["database"] == "ok"
    text = response.content.decode()
    assert str(port) not in text
    assert "secret-word" not in text
    assert "127.0.0.1" not in text


@pytest.mark.django_db
def test_readyz_answers_503_naming_storage_when_the_media_directory_cannot_be_made(
    client, settings, tmp_path
):
    (tmp_path / "a-file").write_text("")
    missing = tmp_path / "a-file" / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(missing)},
        },
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["down"] == ["storage"]
    assert str(missing) not in response.content.decode()


# --- /metrics -----------------------------------------------------------------------------


def test_metrics_are_hidden_when_no_network_or_token_is_configured(client, settings):
    settings.METRICS_ALLOWED_NETWORKS = []
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 403


@pytest.mark.django_db
def test_metrics_need_the_token_or_an_allowed_network(client, settings):
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ALLOWED_NETWORKS = ["10.0.0.0/8"]  # the test client is 127.0.0.1
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Token {TOKEN}").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")


@pytest.mark.django_db
def test_metrics_count_requests_by_view_and_status_with_latency(client, settings):
    settings.METRICS_TOKEN = TOKEN
    client.get("/healthz")
    client.get("/readyz")
    text = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").content.decode()
    responses = "django_http_responses_total_by_status_view_method_total"
    assert sample(text, responses, view="healthz", status="200", method="GET") >= 1
    assert sample(text, responses, view="readyz", status="200", method="GET") >= 1
    latency = "django_http_requests_latency_seconds_by_view_method_count"
    assert sample(text, latency, view="healthz", method="GET") >= 1
    assert sample(
        text, "django_http_requests_latency_seconds_by_view_method_bucket", view="healthz"
    )


@pytest.mark.django_db
def test_metrics_count_celery_tasks_and_failures(client, settings):
    settings.METRICS_TOKEN = TOKEN

    def counts() -> tuple[float, float]:
        text = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").content.decode()
        name = "prevent_celery_tasks_total"
        succeeded = sample(text, name, task=relay_outbox.name, state="succeeded") or 0
        failed = sample(text, name, task=audit_export_for_object.name, state="failed") or 0
        return succeeded, failed

    before = counts()
    relay_outbox.delay()
    # Not a job id: the task fails (and is counted), without being retried.
    audit_export_for_object.apply(args=["not-a-job-id"], throw=False)
    assert counts() == (before[0] + 1, before[1] + 1)


@pytest.mark.django_db
def test_metrics_show_the_outbox_backlog(client, settings):
    settings.METRICS_TOKEN = TOKEN

    def scrape() -> str:
        return client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").content.decode()

    assert sample(scrape(), "prevent_outbox_pending") == 0
    assert sample(scrape(), "prevent_outbox_oldest_pending_seconds") == 0
    OutboxMessage.objects.create(task=relay_outbox.name, args=[])
    OutboxMessage.objects.create(task=relay_outbox.name, args=[])
    text = scrape()
    assert sample(text, "prevent_outbox_pending") == 2
    assert sample(text, "prevent_outbox_oldest_pending_seconds") >= 0
