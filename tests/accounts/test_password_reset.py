"""Self-service password reset (issue 20): a one-time, 30-minute link; the same answer whether
or not the address has an account; lockout unaffected; audited."""

import datetime
import re
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from prevent_cms.models import AuditEvent
from tests.accounts.test_sign_in import sign_in
from tests.helpers import audit_actions

ASK = "/accounts/password-reset/"
NEW = "Marmalade-Lighthouse-47"
LINK = re.compile(r"http://[^/\s]+(/accounts/password-reset/[^/\s]+/[^/\s]+/)")


def _ask(client, email, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(ASK, {"email": email})


def _link(message) -> str:
    return LINK.search(message.body).group(1)


def _set(client, link, password=NEW, again=None):
    form = client.get(link)  # the link moves its token into the session and redirects
    assert form.status_code == 302, form.status_code
    return client.post(form.url, {"new_password1": password, "new_password2": again or password})


@pytest.fixture
def person(world):
    user = world.user("referrer")
    user.email = "sam.teacher@example.org"
    user.save()
    return user


def test_the_sign_in_page_offers_it(client, db):
    page = client.get("/accounts/login/").content.decode()
    assert f'href="{ASK}"' in page


def test_a_known_and_an_unknown_address_get_the_same_answer(
    client, person, django_capture_on_commit_callbacks
):
    known = _ask(client, "SAM.TEACHER@example.org ", django_capture_on_commit_callbacks)
    unknown = _ask(client, "nobody@example.org", django_capture_on_commit_callbacks)
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url == reverse("accounts:password_reset_sent")
    # One e-mail, to the account's address, naming no one and carrying a link to this site.
    assert [m.to for m in mail.outbox] == [["sam.teacher@example.org"]]
    message = mail.outbox[0]
    assert person.first_name not in message.body
    assert person.last_name not in message.body
    assert "30 minutes" in message.body
    assert message.notify["kind"] == "password_reset"  # Notify's template for it
    # Audited: against the account; a request for no account without the address typed.
    assert audit_actions(object_id=str(person.pk)) == ["user.password_reset_requested"]
    nobody = AuditEvent.objects.get(action="auth.password_reset_no_account")
    assert "nobody" not in f"{nobody.object_id} {nobody.reason} {nobody.detail}"


def test_a_bad_address_is_explained_and_nothing_is_sent(client, person):
    response = client.post(ASK, {"email": "not an address"})
    assert response.status_code == 400
    assert "Enter an email address in the correct format" in response.content.decode()
    # Fields drawn inside the page's form (the header's language toggle is a form of its own).
    main = response.content.decode().split("<main", 1)[1]
    assert main.count("<form") == 1
    assert client.post(ASK, {"email": ""}).status_code == 400
    assert mail.outbox == []


@pytest.mark.parametrize("change", ["inactive", "no_password"])
def test_only_active_password_accounts_get_a_link(
    client, person, change, django_capture_on_commit_callbacks
):
    if change == "inactive":
        person.is_active = False
    else:
        person.set_unusable_password()  # signs in another way
    person.save()
    assert _ask(client, person.email, django_capture_on_commit_callbacks).status_code == 302
    assert mail.outbox == []


def test_the_link_sets_a_new_password_once(client, person, django_capture_on_commit_callbacks):
    _ask(client, person.email, django_capture_on_commit_callbacks)
    link = _link(mail.outbox[0])
    done = _set(client, link)
    assert done.status_code == 302
    assert done.url == reverse("accounts:password_reset_complete")
    assert "_auth_user_id" not in client.session  # not signed in by the link
    assert sign_in(Client(), person.username, NEW).status_code == 302
    assert "user.password_reset" in audit_actions(object_id=str(person.pk))
    # Used: the same link no longer works, and says what to do.
    again = Client().get(link, follow=True)
    assert "This link does not work" in again.content.decode()
    assert "_auth_user_id" not in again.client.session


def test_the_link_works_for_thirty_minutes(client, person):
    def link_made(minutes_ago: int) -> str:
        class Then(PasswordResetTokenGenerator):
            def _now(self):
                return super()._now() - datetime.timedelta(minutes=minutes_ago)

        uid = urlsafe_base64_encode(force_bytes(person.pk))
        return reverse("accounts:password_reset_confirm", args=[uid, Then().make_token(person)])

    assert settings.PASSWORD_RESET_TIMEOUT == 30 * 60
    assert Client().get(link_made(29)).status_code == 302  # to the new-password form
    expired = Client().get(link_made(31))
    assert expired.status_code == 200
    assert "This link does not work" in expired.content.decode()


def test_the_password_rules_apply_in_words(client, person, django_capture_on_commit_callbacks):
    _ask(client, person.email, django_capture_on_commit_callbacks)
    link = _link(mail.outbox[0])
    weak = _set(client, link, password="password")
    assert weak.status_code == 400
    assert "This password is too common" in weak.content.decode()
    assert "govuk-error-summary" in weak.content.decode()
    form_url = weak.request["PATH_INFO"]
    mismatch = client.post(form_url, {"new_password1": NEW, "new_password2": NEW + "x"})
    assert "The two passwords do not match" in mismatch.content.decode()


def test_setting_a_new_password_ends_the_accounts_other_sessions(
    client, person, django_capture_on_commit_callbacks
):
    elsewhere = Client()
    assert sign_in(elsewhere, person.username).status_code == 302
    assert elsewhere.get("/").status_code == 200
    _ask(client, person.email, django_capture_on_commit_callbacks)
    _set(client, _link(mail.outbox[0]))
    assert elsewhere.get("/").status_code == 302  # back to sign in


def test_a_lockout_is_neither_counted_nor_lifted(
    client, person, django_capture_on_commit_callbacks
):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(Client(), person.username, "wrong-password-1")
    # Asking for a link is not a failed sign-in: one more wrong password is needed to lock.
    _ask(client, person.email, django_capture_on_commit_callbacks)
    sign_in(Client(), person.username, "wrong-password-1")
    # Locked now; a new password set from the link does not unlock it.
    _set(client, _link(mail.outbox[0]))
    assert sign_in(Client(), person.username, NEW).status_code == 429


def test_an_account_gets_at_most_three_links_an_hour(
    client, person, django_capture_on_commit_callbacks
):
    for _ in range(5):
        answer = _ask(client, person.email, django_capture_on_commit_callbacks)
        assert answer.url == reverse("accounts:password_reset_sent")  # the same answer
    assert len(mail.outbox) == 3
    actions = audit_actions(object_id=str(person.pk))
    assert actions.count("user.password_reset_requested") == 3
    assert actions.count("user.password_reset_held_back") == 2
    # An hour on (the audit trail is append-only: the service's clock moves instead), links
    # go again.
    later = timezone.now() + datetime.timedelta(minutes=61)
    with mock.patch("accounts.services.timezone.now", return_value=later):
        _ask(client, person.email, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 4


def test_the_link_is_sent_in_the_account_holders_language(
    client, person, django_capture_on_commit_callbacks
):
    """Issue 19: whoever asks from whichever browser, the mail is in the language the
    account holder chose."""
    person.language = "cy"
    person.save(update_fields=["language"])
    _ask(client, person.email, django_capture_on_commit_callbacks)
    (message,) = mail.outbox
    assert message.subject == "Rheoli achosion Prevent: gosod cyfrinair newydd"
    assert "o fewn 30 munud" in message.body
    assert _link(message)  # the link still works as a link
