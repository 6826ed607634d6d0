"""Walk the pages each role reaches by following links, from the demo data (``seed_demo``).

The page-wide checks of issue 19 (every error summary, no codes or UUIDs shown, no sideways
scrolling) run over what this walk finds, so a new page or form is checked without editing a
list: a person reaches it by a link, or nobody does.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urljoin, urlsplit

from lxml import html as lxml_html

from accounts.demo import seed_people
from prevent_cms.registry import seeders

# One person per role of the demo (accounts.demo.PEOPLE).
ROLES = {
    "referrer": "referrer-a",
    "agency lead": "agency-lead-a",
    "officer": "officer-a",
    "chair": "chair-a",
    "panel member": "panel-member-a",
    "provider": "provider-a",
    "borough lead": "borough-lead-a",
    "prevent lead": "prevent-lead-a",
    "admin": "admin",
}

# Links never followed: leaving the service, the admin site (Django's, not ours), the API,
# static files, and downloads (not pages).
SKIP = re.compile(
    r"^/(accounts/(logout|login|signed-out)|admin/|api/|static/|media/|__)"
    r"|/(download|export\.(csv|xlsx)|pdf|file)/?$|\.(csv|xlsx|pdf|zip|json)$"
)
_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\b\d+\b")


def seed() -> None:
    """The demo organisations, people and cases in every state the demo seeds."""
    people = seed_people()
    for seeder in seeders():
        seeder(people)


@dataclass
class Page:
    url: str
    html: str
    tree: object = field(repr=False)


def walk(client, *, start: str = "/", per_pattern: int = 2, limit: int = 120) -> list[Page]:
    """Every HTML page reachable by GET links from ``start`` (at most ``per_pattern`` pages
    per URL shape, ids folded, so a list of 50 cases costs two case pages, not 50)."""
    seen: set[str] = set()
    shapes: dict[str, int] = {}
    queue = deque([start])
    pages: list[Page] = []
    while queue and len(pages) < limit:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        text = response.content.decode()
        tree = lxml_html.fromstring(text)
        pages.append(Page(url, text, tree))
        for href in tree.xpath("//a/@href"):
            target = urldefrag(urljoin(url, href))[0]
            parts = urlsplit(target)
            if parts.netloc or not parts.path.startswith("/") or SKIP.search(parts.path):
                continue
            shape = _ID.sub("#", parts.path) + ("?" if parts.query else "")
            if target in seen or shapes.get(shape, 0) >= per_pattern:
                continue
            shapes[shape] = shapes.get(shape, 0) + 1
            queue.append(target)
    return pages
