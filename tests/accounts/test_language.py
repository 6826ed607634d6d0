"""The language a person chooses follows them to every browser they sign in to (issue 19)."""

import pytest
from django.conf import settings
from django.test import Client

from accounts.models import Role, User

pytestmark = pytest.mark.django_db


def _choose(client, language: str, back: str = "/"):
    return client.post("/language/", {"language": language, "next": back})


def _lang(response) -> str:
    text = response.content.decode()
    return text.split('<html lang="', 1)[1].split('"', 1)[0]


def test_a_signed_in_choice_holds_in_another_browser(world):
    person = world.user(Role.REFERRER)
    first = Client()
    first.force_login(person)
    assert _choose(first, "cy").status_code == 302
    person.refresh_from_db()
    assert person.language == "cy"

    elsewhere = Client()  # another device: no language cookie, an English browser
    elsewhere.force_login(person)
    home = elsewhere.get("/", HTTP_ACCEPT_LANGUAGE="en-GB")
    assert _lang(home) == "cy"
    assert home.cookies[settings.LANGUAGE_COOKIE_NAME].value == "cy"

    # Back to English from that device: kept on the account, so the first browser follows.
    _choose(elsewhere, "en-gb")
    assert User.objects.get(pk=person.pk).language == "en-gb"
    first.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"  # its stale cookie
    assert _lang(first.get("/")) == "en-gb"


def test_someone_not_signed_in_chooses_for_this_browser_only(client):
    response = _choose(client, "cy", back="/accounts/login/")
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "cy"
    assert _lang(client.get("/accounts/login/")) == "cy"


def test_a_person_who_never_chose_gets_their_browsers_language(world, client):
    person = world.user(Role.REFERRER)
    client.force_login(person)
    assert person.language == ""
    assert _lang(client.get("/", HTTP_ACCEPT_LANGUAGE="cy")) == "cy"
    assert _lang(client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB")) == "en-gb"


def test_an_unknown_language_changes_nothing(world, client):
    person = world.user(Role.REFERRER)
    client.force_login(person)
    _choose(client, "fr")
    person.refresh_from_db()
    assert person.language == ""
