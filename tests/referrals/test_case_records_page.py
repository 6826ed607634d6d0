"""The navigation's "Case records" (issue 19): the rarer case-record tools (open a case,
retention, subject access) sit behind one link, so the service navigation keeps to one row;
the link stays current on each of those pages, and the page is for officers and chairs."""

import re

from django.urls import reverse

from tests.referrals import factories as f

RECORDS = reverse("referrals:records")


def _current_links(html: str) -> list[str]:
    nav = re.search(
        r'<ul class="govuk-service-navigation__list" id="navigation">.*?</ul>', html, re.S
    )
    return re.findall(r'href="([^"]+)" aria-current="true"', nav.group(0))


def test_officers_and_chairs_reach_each_tool_from_case_records(world, client):
    for user in (f.officer_for(world), f.chair_for(world)):
        client.force_login(user)
        html = client.get(RECORDS).content.decode()
        for name in ("referrals:break_glass", "referrals:retention", "referrals:subject_access"):
            assert f'href="{reverse(name)}"' in html
        nav = client.get("/notifications/").content.decode()
        assert f'href="{RECORDS}"' in nav
        for name in ("referrals:break_glass", "referrals:retention", "referrals:subject_access"):
            assert f'class="govuk-service-navigation__link" href="{reverse(name)}"' not in nav


def test_case_records_is_current_on_each_tool(world, client):
    client.force_login(f.officer_for(world))
    for name in ("referrals:records", "referrals:break_glass", "referrals:retention",
                 "referrals:subject_access"):  # fmt: skip
        assert _current_links(client.get(reverse(name)).content.decode()) == [RECORDS]


def test_referrers_may_not_open_case_records(world, client):
    client.force_login(f.referrer_for(world))
    assert client.get(RECORDS).status_code == 403
    assert f'href="{RECORDS}"' not in client.get("/notifications/").content.decode()
