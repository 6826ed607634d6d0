"""The "Today" list: what each person should do next, most urgent first (issue 17).

Each app registers, for the roles it serves, a builder ``build(user, today)`` returning
``WorkItem``s (``registry.register_work``); ``work_for`` gathers them for one person and sorts
them. The home page shows the list and ``GET /api/v1/me/work/`` gives the same as data, so the
two cannot disagree. A builder's queries must not grow with the number of cases: it counts
in the database, and lists at most ``LINES`` rows of any kind.

Items say what the work is and where it is done, with a case reference or a date; never a
person's name.
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass

from django.utils import timezone

from .registry import work_builders_for, work_readers

# The most lines of one kind a builder lists case by case; beyond, the count and a link to
# the filtered list say the rest.
LINES = 10


class Urgency:
    """Lower is more urgent: the list's first sort key."""

    BREACHED = 0  # a statutory clock has run out, or something is overdue
    URGENT = 10  # a referral reporting immediate danger, or due today
    DUE_SOON = 20  # due within the next few working days
    TODO = 50  # waiting for this person
    INFO = 90  # worth knowing (news, what is coming)


@dataclass(frozen=True)
class WorkItem:
    kind: str  # a stable code for programs: "triage_waiting", "panel_next", ...
    section: str  # the heading it is listed under, in words
    label: str  # what to do, in words: a reference or a date, never a name
    url: str  # the page where the work is done
    count: int = 1
    due: datetime.date | None = None
    urgency: int = Urgency.TODO
    reference: str = ""

    def as_data(self) -> dict:
        data = asdict(self)
        data["label"] = str(self.label)
        data["section"] = str(self.section)
        data["due"] = self.due.isoformat() if self.due else None
        return data


def _sort_key(item: WorkItem) -> tuple:
    return (item.urgency, item.due or datetime.date.max, item.section, item.label)


def work_for(user, today: datetime.date | None = None) -> list[WorkItem]:
    """Everything on this person's Today list, most urgent first, then soonest due."""
    today = today or timezone.localdate()
    items: list[WorkItem] = []
    for build in work_builders_for(user):
        items += build(user, today)
    return sorted(items, key=_sort_key)


def work_sections(items: list[WorkItem]) -> list[dict]:
    """The items grouped under their headings, in the order their most urgent item comes,
    with how many things each holds (the counts of the page's navigation)."""
    sections: dict[str, dict] = {}
    for item in items:
        section = sections.setdefault(
            str(item.section), {"title": item.section, "items": [], "count": 0}
        )
        section["items"].append(item)
        section["count"] += item.count
    for number, section in enumerate(sections.values(), start=1):
        section["anchor"] = f"section-{number}"
    return list(sections.values())


def work_record_view(*, actor, items: list[WorkItem], via: str) -> None:
    """Audit a read of the Today list like any list of cases: the cases' references it shows,
    in one event (each app that owns cases records its own)."""
    references = list(dict.fromkeys(item.reference for item in items if item.reference))
    for record in work_readers():
        record(actor=actor, references=references, via=via)
