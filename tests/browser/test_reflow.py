"""Every page of every role, in a real browser at a phone's 390 px and a desktop's 1280 px
(issue 19): axe-clean (WCAG 2.2 AA) and never scrolling sideways (WCAG 1.4.10 reflow), wide
tables scrolling inside their own labelled region.

The pages are the role walk's (``tests.walk``: every page each demo person reaches by following
links from home), one of each link pattern, so a new page is checked without editing this.
Until 2026-12-07 the browser opened only each person's home and navigation; the walk reaches
the rest (case pages, records, forms, jobs), whose words and error summaries
``tests/prevent_cms/test_page_walk.py`` checks without a browser.
"""

import pytest
from django.test import Client

from accounts.demo import DEMO_PASSWORD, PEOPLE
from accounts.models import User
from prevent_cms.registry import ensure_reference_data
from tests.browser.conftest import assert_accessible
from tests.walk import pattern, seed, walk

# What sticks out past the right edge, deepest first: what a failure names.
WIDEST = """
Array.from(document.querySelectorAll('body *'))
  .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .filter((e) => !Array.from(e.children).some(
    (c) => c.getBoundingClientRect().right > document.documentElement.clientWidth + 1))
  .slice(0, 3)
  .map((e) => `${e.tagName.toLowerCase()}.${e.className} "${e.textContent.trim().slice(0, 40)}"`)
"""


def _navigation(page) -> list[str]:
    """Home and the signed-in person's navigation: the pages worth a screenshot."""
    links = page.locator("#navigation a.govuk-service-navigation__link")
    found = ["/", *(links.nth(i).get_attribute("href") for i in range(links.count()))]
    return [url for url in found if url and url.startswith("/")]


def _one_of_each_pattern(user: User) -> list[str]:
    """The walk's pages for ``user``, the first of each link pattern (a list of fifty cases is
    three case pages in the walk and one here: their layout is the same)."""
    client = Client()
    client.force_login(user)
    pages = {}
    for found in walk(client, user.username).pages:
        pages.setdefault(pattern(found.url), found.url)
    return list(pages.values())


WIDTHS = (1280, 390)  # a desktop's, then a phone's: each page is loaded once, then narrowed


@pytest.mark.long
def test_every_page_is_accessible_and_never_scrolls_sideways(journey, transactional_db):
    ensure_reference_data()
    seed()
    people = {user.username: user for user in User.objects.filter(username__in=PEOPLE)}
    page = journey.page
    wide, inaccessible, visited = {}, {}, 0
    for username in PEOPLE:
        urls = _one_of_each_pattern(people[username])
        page.context.clear_cookies()
        page.set_viewport_size({"width": WIDTHS[0], "height": 900})
        journey.sign_in(username, DEMO_PASSWORD)
        navigation = set(_navigation(page))
        for url in urls:
            visited += 1
            page.set_viewport_size({"width": WIDTHS[0], "height": 900})
            page.goto(journey.url + url)
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 900})
                label = f"{username}{url.split('?')[0].replace('/', '-')}{width}"
                if url in navigation:
                    journey.screenshot(label)
                overflow = page.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
                if overflow > 0:
                    wide[f"{username} {url} at {width}"] = (overflow, page.evaluate(WIDEST))
                try:
                    assert_accessible(page, label)
                except AssertionError as found:
                    inaccessible[f"{username} {url} at {width}"] = str(found)[:3000]
    assert not wide, "scrolls sideways:\n" + "\n".join(f"{k}: {v}" for k, v in wide.items())
    assert not inaccessible, "\n".join(f"{k}: {v}" for k, v in inaccessible.items())
    # Each person's home and navigation at the least, and far more: the walk's pages.
    assert visited >= 10 * len(PEOPLE), visited
