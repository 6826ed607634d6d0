"""The one role walk: every page each demo person reaches by following links from home, and
every form on those pages sent once.

The page-wide checks (issue 19: error summaries, words not codes; issue 24: titles, hints and
errors read out with their fields) run over what this walk finds, so a new page or form is
checked without editing a list: a person reaches it by a link, or nobody does. Each link
pattern (ids and numbers taken out, query keys kept) is followed a few times, so a list of two
hundred cases costs three case pages, not two hundred.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit

import lxml.html
from django.conf import settings
from django.test import Client

from accounts.demo import seed_people
from prevent_cms.registry import seeders

# One person per role of the demo (accounts.demo.PEOPLE); the walk covers every demo person.
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

PER_PATTERN = 3
MAX_PAGES = 400
# Leaving the service, the admin site (Django's, not ours), the API, downloads and files, and
# the session itself: not pages.
SKIP = re.compile(
    r"^/(static|media|api|admin|__)|/accounts/(logout|login|signed-out|keep-alive)"
    r"|/(download|export\.(csv|xlsx)|pdf|file)/?$|/download|\.(pdf|csv|xlsx|json|zip)$"
)
SKIP_QUERY = {"format", "download"}
_ID = re.compile(
    r"/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d+|[A-Z]{3}-\d{4}-\d+)(?=/)"
)


@dataclass
class Page:
    url: str
    status: int
    html: str
    tree: lxml.html.HtmlElement | None = None

    @property
    def title(self) -> str:
        return " ".join(self.tree.findtext(".//title").split()) if self.tree is not None else ""

    @property
    def key(self) -> tuple[str, tuple]:
        """The same page: the same path and the same filters (the query in any order, less
        ``next``, which says where to go afterwards, not what the page shows)."""
        split = urlsplit(self.url)
        query = [(k, v) for k, v in parse_qsl(split.query) if k != "next"]
        return split.path, tuple(sorted(query))


@dataclass
class Walk:
    person: str
    pages: list[Page] = field(default_factory=list)
    # Pages answered after a form on a walked page was sent blank (or with nonsense filters):
    # (the page the form is on, the form's method, the answer).
    answers: list[tuple[str, str, Page]] = field(default_factory=list)
    names: set[str] = field(default_factory=set)  # people's names no title may carry
    client: Client | None = field(default=None, repr=False)  # signed in as ``person``


def seed() -> None:
    """The demo organisations, people and cases in every state the demo seeds."""
    people = seed_people()
    for seeder in seeders():
        seeder(people)


def walk_everyone(people: dict, language: str | None = None) -> list[Walk]:
    """Every demo person's walk, each form sent once; in ``language`` when one is given (the
    cookie the language toggle sets, as a person who chose it would send)."""
    found = []
    for username, user in people.items():
        client = Client()
        if language:
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        client.force_login(user)
        walked = walk(client, username)
        send_forms(client, walked)
        found.append(walked)
    return found


def pattern(url: str) -> tuple[str, tuple]:
    split = urlsplit(url)
    return _ID.sub("/{}", split.path), tuple(sorted({k for k, _v in parse_qsl(split.query)}))


def _links(page: Page) -> list[str]:
    found = []
    for href in page.tree.xpath("//a/@href"):
        split = urlsplit(href)
        if split.scheme or split.netloc or not split.path.startswith("/"):
            continue
        query = [(k, v) for k, v in parse_qsl(split.query) if k not in SKIP_QUERY]
        if len(query) != len(parse_qsl(split.query)) or SKIP.search(split.path):
            continue
        found.append(split.path + ("?" + urlencode(query) if query else ""))
    return found


def fetch(client: Client, url: str) -> Page:
    response = client.get(url)
    for _hop in range(3):
        if response.status_code not in (301, 302, 303) or not response["Location"].startswith("/"):
            break
        url = response["Location"]
        response = client.get(url)
    html = ""
    page = Page(url=url, status=response.status_code, html=html)
    if not response.streaming:
        _parse(page, response)
    return page


def _parse(page: Page, response) -> None:
    if response.get("Content-Type", "").startswith("text/html") and response.content.strip():
        page.html = response.content.decode()
        page.tree = lxml.html.fromstring(page.html)


def walk(client: Client, person: str, start: str = "/") -> Walk:
    """Breadth first from ``start``, each link pattern at most PER_PATTERN times."""
    result = Walk(person, client=client)
    seen: set[str] = set()
    per_pattern: Counter = Counter()
    queue = deque([start])
    while queue and len(result.pages) < MAX_PAGES:
        url = queue.popleft()
        if url in seen or per_pattern[pattern(url)] >= PER_PATTERN:
            continue
        seen.add(url)
        per_pattern[pattern(url)] += 1
        page = fetch(client, url)
        seen.add(page.url)
        if page.tree is None or page.status != 200 or SKIP.search(urlsplit(page.url).path):
            continue
        result.pages.append(page)
        queue.extend(link for link in _links(page) if link not in seen)
    return result


def send_forms(client: Client, walked: Walk) -> None:
    """Send each form met on the walk once, blank, so it answers with its errors.

    Forms whose only controls are buttons (start, sign out, confirm-and-go) are left alone;
    filters (GET forms) get nonsense in their text boxes instead, which is what a date
    filter rejects.
    """
    sent: set[tuple] = set()
    for page in walked.pages:
        for form in page.tree.xpath("//form"):
            method = (form.get("method") or "get").lower()
            action = form.get("action") or page.url
            if SKIP.search(urlsplit(action).path) or not action.startswith(("/", "?")):
                continue
            if action.startswith("?"):
                action = urlsplit(page.url).path + action
            controls = form.xpath(
                ".//input[not(@type='hidden') and not(@type='submit')]|.//select|.//textarea"
            )
            named = [c for c in controls if c.get("name")]
            if not named:
                continue
            signature = (method, pattern(action), tuple(sorted(c.get("name") for c in named)))
            if signature in sent:
                continue
            sent.add(signature)
            data: dict[str, str] = {}
            for hidden in form.xpath(".//input[@type='hidden'][@name]"):
                data[hidden.get("name")] = hidden.get("value") or ""
            for control in named:
                kind = (control.get("type") or "text").lower()
                if kind in ("radio", "checkbox", "file"):
                    continue
                if method == "get":
                    if control.tag == "select":
                        continue
                    data[control.get("name")] = "not-a-value"
                else:
                    data[control.get("name")] = ""
            if method == "get":
                page_after = fetch(client, urlsplit(action).path + "?" + urlencode(data))
            else:
                response = client.post(action, data)
                page_after = Page(url=action, status=response.status_code, html="")
                if not response.streaming:
                    _parse(page_after, response)
            if page_after.tree is not None:
                walked.answers.append((page.url, method, page_after))


def described_fields(tree: lxml.html.HtmlElement) -> list[str]:
    """What is wrong with how the page ties hints and errors to their fields.

    A GOV.UK form group's hint and error messages must each have an id, and that id must be in
    the ``aria-describedby`` of the group's fieldset (radios, checkboxes, date parts) or, for a
    single field, of its input, select or textarea. Every id any ``aria-describedby`` names must
    exist on the page.
    """
    problems = []
    ids = set(tree.xpath("//@id"))
    for element in tree.xpath("//*[@aria-describedby]"):
        for ref in element.get("aria-describedby").split():
            if ref not in ids:
                problems.append(f"{_name(element)} points at #{ref}, which is not on the page")
    for group in tree.xpath("//*[contains(concat(' ', @class, ' '), ' govuk-form-group ')]"):
        own = _own(group)
        notes = [el for el in own if _is_note(el)]
        if not notes:
            continue
        fieldsets = [el for el in own if el.tag == "fieldset"][:1]
        controls = [
            el
            for el in own
            if el.tag in ("select", "textarea")
            or (el.tag == "input" and el.get("type") not in ("hidden", "submit", "button"))
        ]
        for note in notes:
            what = "error" if _has_class(note, "govuk-error-message") else "hint"
            text = " ".join(note.text_content().split())[:40]
            if not note.get("id"):
                problems.append(f"{what} '{text}' has no id")
                continue
            # Named by the fieldset around the fields (radios, date parts) or by each field.
            if any(_describes(fieldset, note) for fieldset in fieldsets):
                continue
            for control in controls or fieldsets:
                if not _describes(control, note):
                    problems.append(f"{_name(control)} does not reference its {what} '{text}'")
    return problems


def _own(group) -> list:
    """The elements of a form group that belong to it, not to a group nested inside it."""
    return [
        el
        for el in group.iter()
        if el is not group
        and isinstance(el.tag, str)
        and next(
            (
                a
                for a in el.iterancestors()
                if _has_class(a, "govuk-form-group")
                or _has_class(a, "govuk-radios__conditional")
                or _has_class(a, "govuk-checkboxes__conditional")
            ),
            None,
        )
        is group
    ]


def _describes(element, note) -> bool:
    return note.get("id") in (element.get("aria-describedby") or "").split()


def _is_note(element) -> bool:
    """An error message, or a field's hint (not the hint of one radio or checkbox)."""
    if _has_class(element, "govuk-error-message"):
        return True
    return _has_class(element, "govuk-hint") and not (
        _has_class(element, "govuk-radios__hint") or _has_class(element, "govuk-checkboxes__hint")
    )


def _has_class(element, name: str) -> bool:
    return name in (element.get("class") or "").split()


def _name(element) -> str:
    return f"<{element.tag} id={element.get('id')!r} name={element.get('name')!r}>"
