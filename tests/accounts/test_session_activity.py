"""The idle time-out writes the session's last activity at most once a minute (issue 25):
writing it on every request cost every page a session UPDATE and its commit. The time-out is
judged by the activity last written, so it ends a session up to that minute early, never late.
"""

import re
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.helpers import audit_actions

LOGIN = "/accounts/login/"


def _session_writes(captured) -> list[str]:
    return [
        q["sql"]
        for q in captured.captured_queries
        if "django_session" in q["sql"] and not q["sql"].lstrip().upper().startswith("SELECT")
    ]


def _recorded(client, seconds_ago: float) -> float:
    session = client.session
    session["last_seen"] = time.time() - seconds_ago
    session.save()
    return session["last_seen"]


def test_requests_within_the_interval_write_no_session(client, world, settings):
    settings.SESSION_ACTIVITY_RECORD_SECONDS = 60
    client.force_login(world.user("referrer"))
    assert client.get("/").status_code == 200  # the first request records the activity
    recorded = client.session["last_seen"]
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/").status_code == 200
        assert client.get(reverse("referrals:mine")).status_code == 200
    assert _session_writes(captured) == []
    assert client.session["last_seen"] == recorded


def test_a_request_after_the_interval_writes_the_activity_once(client, world, settings):
    settings.SESSION_ACTIVITY_RECORD_SECONDS = 60
    client.force_login(world.user("referrer"))
    assert client.get("/").status_code == 200
    before = _recorded(client, 61)
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/").status_code == 200
    writes = _session_writes(captured)
    assert len(writes) == 1
    assert writes[0].lstrip().upper().startswith("UPDATE")
    assert time.time() - client.session["last_seen"] < 5 < client.session["last_seen"] - before


def test_the_idle_timeout_counts_from_the_activity_written_never_later(client, world, settings):
    settings.SESSION_ACTIVITY_RECORD_SECONDS = 60
    user = world.user("referrer")
    client.force_login(user)
    assert client.get("/").status_code == 200
    recorded = _recorded(client, 50)
    assert client.get("/").status_code == 200  # within the minute: nothing written
    assert client.session["last_seen"] == recorded
    # 50 s after the activity written, a 45 s idle time-out has passed despite the request
    # made since: it signs out (at most the interval early, never late).
    settings.SESSION_IDLE_TIMEOUT = 45
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)
    assert "timeout=1" in response.url
    assert audit_actions(actor=user)[-1] == "auth.sign_out"
    assert client.get("/").status_code == 302  # and stays signed out


def test_keep_alive_writes_the_activity_even_within_the_interval(client, world, settings):
    settings.SESSION_ACTIVITY_RECORD_SECONDS = 60
    client.force_login(world.user("referrer"))
    assert client.get("/").status_code == 200
    _recorded(client, 30)
    response = client.post(reverse("accounts:keep_alive"), HTTP_X_REQUESTED_WITH="fetch")
    assert response.status_code == 204
    assert time.time() - client.session["last_seen"] < 5


def test_the_warning_counts_down_from_the_activity_written(client, world, settings):
    settings.SESSION_ACTIVITY_RECORD_SECONDS = 60
    client.force_login(world.user("referrer"))
    assert client.get("/").status_code == 200
    _recorded(client, 50)
    page = client.get("/").content.decode()
    left = int(re.search(r'data-idle-left="(\d+)"', page).group(1))
    full = int(re.search(r'data-idle-seconds="(\d+)"', page).group(1))
    assert full == settings.SESSION_IDLE_TIMEOUT
    assert full - 55 <= left <= full - 50
