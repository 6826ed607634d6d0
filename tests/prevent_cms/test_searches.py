"""Search terms kept out of URLs: per person, short-lived, a bounded few (issue 13)."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.conf import settings
from django.test import RequestFactory

from prevent_cms.searches import (
    MAX_SEARCHES,
    SEARCH_LIFETIME_SECONDS,
    SESSION_KEY,
    search_save,
    search_term,
)
from tests.factories import UserFactory


@pytest.fixture
def request_for(db):
    store = import_module(settings.SESSION_ENGINE).SessionStore

    def build(user, session=None):
        request = RequestFactory().get("/")
        request.user = user
        request.session = session if session is not None else store()
        return request

    return build


def test_a_search_is_found_by_its_id_for_its_owner_only(request_for):
    owner, other = UserFactory(), UserFactory()
    request = request_for(owner)
    search_id = search_save(request, term="Gwen Pritchard")
    assert "Pritchard" not in search_id
    assert search_term(request, search_id) == "Gwen Pritchard"
    assert search_term(request, "not-an-id") == ""
    # The same session signed in as someone else (it is flushed at sign-in; belt and braces).
    assert search_term(request_for(other, request.session), search_id) == ""


def test_a_search_lapses_and_leaves_the_session(request_for):
    request = request_for(UserFactory())
    search_id = search_save(request, term="Gwen Pritchard")
    entry = request.session[SESSION_KEY][search_id]
    entry["until"] -= SEARCH_LIFETIME_SECONDS + 1
    assert search_term(request, search_id) == ""
    assert request.session[SESSION_KEY] == {}


def test_only_the_newest_searches_are_kept(request_for):
    request = request_for(UserFactory())
    ids = [search_save(request, term=f"Term {n}") for n in range(MAX_SEARCHES + 1)]
    assert len(request.session[SESSION_KEY]) <= MAX_SEARCHES
    assert search_term(request, ids[-1]) == f"Term {MAX_SEARCHES}"
    assert search_term(request, ids[0]) == ""
