"""The triage queue at a desktop's 1280 px and a phone's 390 px (issue 19), in English and
Welsh: its filters sit above the table (the MOJ "filter a list" pattern), so at 1280 px the
whole table, the Clock column last, is in view without scrolling its region, and the stage
select shows its choice whole; at 390 px the page does not scroll sideways. axe-clean at both
widths; screenshots kept.

Beside the filters in a quarter column, the table (787 px) was wider than its column (713 px):
Clock sat behind the region's own scroll bar, and "Triage: submitted or police assessment"
showed as "Triage: submitted or pc…".
"""

import importlib

import pytest
from django.apps import apps

from accounts.demo import DEMO_PASSWORD
from accounts.models import User
from channel.reference_data import ensure_vaf
from tests.walk import seed

_CONCERNS = importlib.import_module("referrals.migrations.0002_concern_types_2024_scheme")

# How far the table's region would scroll, and how wide the stage select's chosen text is
# against the room the select gives it (its width less its padding and the arrow's).
_MEASURE = """() => {
  const region = document.querySelector('.app-table-scroll');
  const select = document.querySelector('#id_state');
  const style = getComputedStyle(select);
  const probe = document.createElement('span');
  probe.style.font = style.font;
  probe.style.whiteSpace = 'pre';
  probe.style.position = 'absolute';
  probe.textContent = select.options[select.selectedIndex].text;
  document.body.appendChild(probe);
  const text = probe.getBoundingClientRect().width;
  probe.remove();
  const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  const clock = [...region.querySelectorAll('th')].pop().getBoundingClientRect();
  return {scrollWidth: region.scrollWidth, clientWidth: region.clientWidth,
          regionRight: region.getBoundingClientRect().right, clockRight: clock.right,
          clock: clock.width > 0 ? [...region.querySelectorAll('th')].pop().innerText : '',
          text, room, chosen: probe.textContent,
          page: document.documentElement.scrollWidth - document.documentElement.clientWidth};
}"""

# Chromium's own arrow for a select, drawn inside its right padding or beside it.
_ARROW = 24

_CLOCK = {"en": "Clock", "cy": "Cloc"}


@pytest.fixture
def seeded(transactional_db):
    ensure_vaf()
    _CONCERNS.load(apps, None)
    seed()


@pytest.mark.parametrize("language", ["en", "cy"])
def test_queue_table_and_stage_fit_at_1280_and_reflow_at_390(journey, seeded, language):
    page = journey.page
    User.objects.filter(username="officer-a").update(language=language)
    page.set_viewport_size({"width": 1280, "height": 900})
    journey.sign_in("officer-a", DEMO_PASSWORD)
    page.wait_for_selector("#navigation > li")
    page.goto(f"{journey.url}/referrals/queue/")
    assert page.locator(".app-table-scroll tbody tr").count() >= 1, "the officer has no cases"
    wide = page.evaluate(_MEASURE)
    assert wide["scrollWidth"] <= wide["clientWidth"], wide  # no scrolling inside the region
    assert wide["clock"].startswith(_CLOCK[language]), wide
    assert wide["clockRight"] <= wide["regionRight"], wide
    assert wide["chosen"], wide
    assert wide["text"] + _ARROW <= wide["room"], wide  # the stage's choice is whole
    assert wide["page"] <= 0, wide
    journey.check(f"queue-{language}-1280")

    page.set_viewport_size({"width": 390, "height": 900})
    narrow = page.evaluate(_MEASURE)
    assert narrow["page"] <= 0, narrow  # the page never scrolls sideways (WCAG 1.4.10)
    journey.check(f"queue-{language}-390")
