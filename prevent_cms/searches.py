"""Search terms kept out of URLs: a short-lived search id per person, kept in their session.

What someone types into a search may be a person's name, and a name in a URL reaches browser
history, proxy logs and the request log (STYLE.md, "Filters are GET parameters, except
search terms"). A page that searches takes the term by POST, keeps it here and redirects to
itself with ``?search=<id>``: an opaque random id that means nothing in another session or to
another person, and lapses after ``SEARCH_LIFETIME_SECONDS``. The session itself ends at
sign-out and after the idle timeout, taking every term with it.
"""

from __future__ import annotations

import secrets
import time

SESSION_KEY = "searches"
SEARCH_LIFETIME_SECONDS = 30 * 60
# A person rarely has more than a few searches open in tabs; older ones make room.
MAX_SEARCHES = 10


def _live(request, now: int) -> dict[str, dict]:
    """The person's searches that have not lapsed, without any of another person's."""
    searches = request.session.get(SESSION_KEY) or {}
    owner = str(request.user.pk)
    return {
        search_id: entry
        for search_id, entry in searches.items()
        if isinstance(entry, dict) and entry.get("user") == owner and entry.get("until", 0) > now
    }


def search_save(request, *, term: str) -> str:
    """Keep ``term`` for the signed-in person and return the id that stands for it."""
    now = int(time.time())
    searches = _live(request, now)
    search_id = secrets.token_urlsafe(12)
    searches[search_id] = {
        "term": term,
        "user": str(request.user.pk),
        "until": now + SEARCH_LIFETIME_SECONDS,
    }
    newest = sorted(searches.items(), key=lambda item: item[1]["until"])[-MAX_SEARCHES:]
    request.session[SESSION_KEY] = dict(newest)
    return search_id


def search_term(request, search_id: str) -> str:
    """The term ``search_id`` stands for, or "" when it is unknown, lapsed or not theirs."""
    now = int(time.time())
    stored = request.session.get(SESSION_KEY) or {}
    searches = _live(request, now)
    if len(searches) != len(stored):
        request.session[SESSION_KEY] = searches  # lapsed terms leave the session now
    entry = searches.get(search_id or "")
    return str(entry["term"]) if entry else ""
