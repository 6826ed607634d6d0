"""People read labels, never codes (STYLE.md, issue 19): no text on any page a role reaches
is a stored code (``not_present``, ``18_to_20``) or a UUID. URLs are not text."""

import re

import pytest
from django.test import Client

from accounts.models import User
from tests.walk import ROLES, seed, walk

CODE = re.compile(
    r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b"  # not_present, 18_to_20
    r"|\b(?:referral|channel|consultation|job|auth|training|reports|audit|user)\.[a-z_.]+\b"
)
UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")
# Text that is not prose a person reads: scripts and styles, and what a person must type
# exactly as shown (STYLE.md: codes a person types stand in <code>).
NOT_PROSE = "ancestor::script or ancestor::style or ancestor::code"


def codes_shown(tree) -> list[str]:
    found = []
    for text in tree.xpath(f".//text()[not({NOT_PROSE})]"):
        found += CODE.findall(text) + UUID.findall(text)
    return found


@pytest.mark.parametrize("role", ROLES)
def test_no_page_shows_a_code_or_a_uuid(db, role):
    seed()
    client = Client()
    client.force_login(User.objects.get(username=ROLES[role]))
    shown = {page.url: codes for page in walk(client) if (codes := codes_shown(page.tree))}
    assert shown == {}, "\n".join(f"{url}: {sorted(set(codes))}" for url, codes in shown.items())
