"""Every form in the service, sent empty: each error-summary link lands on a focusable input
(GOV.UK error summary; WCAG 3.3.1). A link to a radio group's own id, a date's wrapper
``<div>`` or ``#main-content`` moves focus nowhere."""

from urllib.parse import urljoin

import pytest
from django.test import Client
from lxml import html as lxml_html

from accounts.models import User
from tests.prevent_cms.test_words_not_codes import codes_shown
from tests.walk import ROLES, seed, walk

FIELDS = "input[not(@type='hidden' or @type='submit' or @type='button')] | select | textarea"
FOCUSABLE_INPUTS = {"input", "select", "textarea", "button"}


def _focusable(element) -> bool:
    if element.get("disabled") is not None or element.get("type") == "hidden":
        return False
    return element.tag in FOCUSABLE_INPUTS or element.get("tabindex") is not None


def _empty_submission(form) -> dict[str, str]:
    """Only what the page itself hides in the form (the CSRF token, a version number)."""
    return {
        element.get("name"): element.get("value", "")
        for element in form.xpath(".//input[@type='hidden'][@name]")
    }


def _broken_links(client, html: str) -> list[str]:
    tree = lxml_html.fromstring(html)
    broken = []
    for link in tree.xpath("//*[contains(@class, 'govuk-error-summary__list')]//a"):
        href = link.get("href", "")
        if href.startswith("/"):  # the question's own page (check your answers)
            if client.get(href).status_code != 200:
                broken.append(f"{href}: {link.text_content().strip()}")
            continue
        found = tree.xpath("//*[@id=$id]", id=href.removeprefix("#")) if href[:1] == "#" else []
        if not found or not _focusable(found[0]):
            tag = found[0].tag if found else "nothing"
            broken.append(f"{href} ({tag}): {link.text_content().strip()}")
    for summary in tree.xpath("//*[contains(@class, 'govuk-error-summary__list')]"):
        broken += [f"code shown: {code}" for code in codes_shown(summary)]
    return broken


@pytest.mark.parametrize("role", ROLES)
def test_every_error_summary_link_lands_on_a_focusable_input(db, role):
    seed()
    client = Client()
    client.force_login(User.objects.get(username=ROLES[role]))
    problems, summaries = {}, 0
    for page in walk(client):
        for form in page.tree.xpath("//form[translate(@method, 'POST', 'post')='post']"):
            if not form.xpath(".//" + FIELDS.replace(" | ", " | .//")):
                continue  # a button alone (start, confirm): nothing to leave empty
            action = urljoin(page.url, form.get("action") or page.url)
            response = client.post(action, _empty_submission(form))
            body = response.content.decode()
            if "govuk-error-summary__list" not in body:
                continue
            summaries += 1
            if broken := _broken_links(client, body):
                problems[f"{page.url} -> {action}"] = broken
    assert problems == {}, "\n".join(f"{k}: {v}" for k, v in problems.items())
    assert summaries or role in {"admin", "provider", "panel member"}
