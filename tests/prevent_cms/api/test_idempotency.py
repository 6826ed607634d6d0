"""Safe retries (issue 23): a POST retried with the same ``Idempotency-Key`` makes one thing."""

import datetime
import json

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Role
from prevent_cms.api.idempotency import IdempotentPost
from prevent_cms.models import IdempotencyKey, Job
from prevent_cms.purge import retention_purge
from referrals.models import Referral
from tests.referrals import factories as f

REFERRALS = "/api/v1/referrals/"
EXPORTS = "/api/v1/reports/exports/"


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def referral_body(**overrides) -> str:
    form = f.complete_form(**overrides)
    form["subject"]["date_of_birth"] = form["subject"]["date_of_birth"].isoformat()
    return json.dumps(form)


def post(client, url, body: str, key: str | None):
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(url, body, content_type="application/json", headers=headers)


def test_a_retried_referral_create_makes_one_referral_and_replays_the_first_answer(world):
    referrer = f.referrer_for(world)
    client = client_for(referrer)
    body = referral_body()
    first = post(client, REFERRALS, body, "create-1")
    retry = post(client, REFERRALS, body, "create-1")
    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry["Location"] == first["Location"]
    assert retry["Idempotent-Replayed"] == "true"
    assert Referral.objects.filter(referrer=referrer).count() == 1


def test_without_a_key_a_retry_makes_another(world):
    client = client_for(f.referrer_for(world))
    body = referral_body()
    assert post(client, REFERRALS, body, None).status_code == 201
    assert post(client, REFERRALS, body, None).status_code == 201
    assert Referral.objects.count() == 2


def test_the_same_key_with_another_body_answers_422_and_makes_nothing(world):
    client = client_for(f.referrer_for(world))
    assert post(client, REFERRALS, referral_body(), "create-2").status_code == 201
    other = post(client, REFERRALS, referral_body(concern_summary="Something else"), "create-2")
    assert other.status_code == 422
    assert "Idempotency-Key" in other.json()["detail"]
    assert Referral.objects.count() == 1


def test_keys_are_per_person(world):
    body = referral_body()
    assert post(client_for(f.referrer_for(world)), REFERRALS, body, "k").status_code == 201
    assert post(client_for(f.referrer_for(world)), REFERRALS, body, "k").status_code == 201
    assert Referral.objects.count() == 2


def test_a_refused_request_keeps_no_key_so_a_corrected_retry_works(world):
    client = client_for(f.referrer_for(world))
    bad = json.loads(referral_body())
    bad["subject"]["gender"] = "not-a-gender"
    assert post(client, REFERRALS, json.dumps(bad), "create-3").status_code == 400
    assert not IdempotencyKey.objects.exists()
    assert post(client, REFERRALS, referral_body(), "create-3").status_code == 201


def test_a_key_still_in_progress_answers_409(world):
    referrer = f.referrer_for(world)
    client = client_for(referrer)
    body = referral_body()
    assert post(client, REFERRALS, body, "busy").status_code == 201
    IdempotencyKey.objects.filter(key="busy").update(status=None, response_body=None)
    assert post(client, REFERRALS, body, "busy").status_code == 409
    assert Referral.objects.count() == 1


def test_a_bad_key_answers_400_naming_the_header(world):
    response = post(client_for(f.referrer_for(world)), REFERRALS, referral_body(), "x" * 256)
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["errors"]
    assert not Referral.objects.exists()


def test_a_retried_export_starts_one_job(world, django_capture_on_commit_callbacks):
    lead = world.user(Role.BOROUGH_LEAD, agency=world.council_a)
    client = client_for(lead)
    body = json.dumps({"format": "csv", "from": "2024-04-01", "to": "2025-03-31"})
    with django_capture_on_commit_callbacks(execute=True):
        first = post(client, EXPORTS, body, "export-1")
        retry = post(client, EXPORTS, body, "export-1")
    assert first.status_code == retry.status_code == 202
    assert retry.json() == first.json()
    assert retry["Location"] == first["Location"]
    assert Job.objects.filter(owner=lead).count() == 1


def test_the_hourly_purge_deletes_keys_after_24_hours(world):
    client = client_for(f.referrer_for(world))
    assert post(client, REFERRALS, referral_body(), "old").status_code == 201
    assert post(client, REFERRALS, referral_body(), "new").status_code == 201
    IdempotencyKey.objects.filter(key="old").update(
        created_at=timezone.now() - datetime.timedelta(hours=25)
    )
    counts = retention_purge()
    assert counts["idempotency_keys"] == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]


# --- Every POST that creates a record or starts a job takes a key -------------------------

# POSTs that neither create a record nor start a job: a search (a read with its terms in the
# body), token issue and renewal (replaying would store the secret key), and state changes,
# which take If-Match instead.
NOT_CREATING = {
    "api:referral-search",
    "api:auth-token",
    "api:auth-token-renew",
    "api:referral-transition",
    "api:channel-panel-hold",
    "api:channel-panel-sign-off",
    # Deleting and cancelling make nothing: a retry finds the work done (404 or 400).
    "api:referral-retention-delete",
    "api:training-import-cancel",
    # Linking a consultation to a referral makes nothing: a retry links the same again.
    "api:consultation-link",
    # A panel's decision is a step of the case, as a transition is: a retry answers 409
    # (the item has its decision already) and changes nothing.
    "api:channel-panel-item-decision",
    # Issue 17: assigning and marking read change a field; a retry changes nothing more.
    "api:referral-assign",
    "api:notification-read",
    # Issue 21: a board meeting's attendance and sign-off are steps of the meeting, as a
    # panel's are: a retry records the same attendance, or answers 409 once signed off.
    "api:partnership-meeting-hold",
    "api:partnership-meeting-sign-off",
    # Issue 17: moving a panel changes its date; the same day again changes nothing and tells
    # no one twice.
    "api:channel-panel-move",
    # Issue 18: linking and the transfer steps are steps of the case, as a transition is: a
    # retry links the same person again, or answers 409 (no transfer pending, one already
    # pending).
    "api:referral-link",
    "api:referral-unlink",
    "api:referral-transfer",
    "api:referral-accept-transfer",
    "api:referral-decline-transfer",
    # Issue 21: taking someone off the mailing list is a step of their contact: a retry
    # leaves them off, as the first did.
    "api:partnership-mailing-contact-remove",
}


def api_views(patterns=None, prefix=""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from api_views(entry.url_patterns, namespace)
        elif isinstance(entry, URLPattern) and hasattr(entry.callback, "cls"):
            yield f"{prefix}{entry.name}", entry.callback.cls


@pytest.mark.parametrize(
    ("name", "view"),
    [(n, v) for n, v in api_views() if n.startswith("api:") and hasattr(v, "post")],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_every_creating_post_takes_an_idempotency_key(name, view):
    assert issubclass(view, IdempotentPost) != (name in NOT_CREATING), name
