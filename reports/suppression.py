"""Small-number suppression for figures that leave the organisation (DOMAIN.md §Statistics).

Councils do not publish small local counts because they can identify people. Rules:

1. **Primary**: a count from 1 to 4 (``THRESHOLD - 1``) is suppressed. Zero is shown: it
   describes nobody.
2. **Secondary**: in a table whose cells add up to a shown total, the suppressed cells of
   the table must be at least two, and their combined value at least ``THRESHOLD``;
   otherwise the total minus the shown cells would give a suppressed value back (or narrow
   it to a small group). The smallest shown cells are suppressed next until that holds. If
   even every cell together is below the threshold, the total is suppressed too.
3. **Linked tables**: the journey (referrals → discussed at panel → adopted) is a chain,
   and its figures are also sums of outcome cells. A journey figure is suppressed when it is
   small, when its difference with the figure above is small, or when any outcome cell it is
   the sum of is suppressed.

With two or more suppressed cells summing to at least 5, every suppressed cell can take any
value from 0 to that sum as far as the shown figures tell: nothing is recoverable.

``None`` stands for a suppressed cell; renderers show it as ``SUPPRESSED_MARK``.
"""

from __future__ import annotations

import copy

THRESHOLD = 5
SUPPRESSED_MARK = "[c]"  # the ONS and Home Office mark for "confidential"

TABLE_KEYS = ("by_sector", "by_route", "by_concern_type", "by_age_group", "by_gender", "outcomes")
# Consultations (issue 15): two tables over the same total, each suppressed as the others.
CONSULTATION_TABLE_KEYS = ("consultations_by_sector", "consultations_by_outcome")


def is_small(value: int | None) -> bool:
    return value is not None and 0 < value < THRESHOLD


def suppress_table(cells: dict[str, int], total: int | None = None) -> dict[str, int | None]:
    """Primary and secondary suppression of one table whose cells sum to ``total``.

    ``total`` defaults to the sum of the cells. The total itself is not returned: use
    ``suppress_total`` for it (it is hidden only when it is itself small).
    """
    if total is None:
        total = sum(cells.values())
    hidden = {code for code, value in cells.items() if is_small(value)}
    if hidden:
        # Secondary: smallest shown cells first (non-zero first, they carry more cover).
        order = sorted(
            (code for code in cells if code not in hidden),
            key=lambda code: (cells[code] == 0, cells[code], code),
        )
        while (len(hidden) < 2 or sum(cells[c] for c in hidden) < THRESHOLD) and order:
            hidden.add(order.pop(0))
    return {code: (None if code in hidden else value) for code, value in cells.items()}


def suppress_total(total: int) -> int | None:
    return None if is_small(total) else total


def suppress_statistics(stats: dict) -> dict:
    """A copy of ``reports.selectors.statistics_for`` output safe to share outside."""
    shared = copy.deepcopy(stats)
    total = stats["total_referrals"]
    shared["total_referrals"] = suppress_total(total)
    for key in TABLE_KEYS:
        if key in stats:  # figures kept from before a table existed (by_route, issue 15)
            shared[key] = suppress_table(stats[key], total)
    shared["journey"] = _suppress_journey(stats["journey"], shared["outcomes"])
    if "timeliness" in stats:
        shared["timeliness"] = suppress_timeliness(stats["timeliness"])
    if "total_consultations" in stats:
        consultations = stats["total_consultations"]
        shared["total_consultations"] = suppress_total(consultations)
        for key in CONSULTATION_TABLE_KEYS:
            shared[key] = suppress_table(stats[key], consultations)
    shared["suppressed"] = True
    return shared


def suppress_timeliness(timeliness: dict) -> dict:
    """Timeliness safe to share: no measure over 1–4 referrals, no small "within" or
    "not within", no small review count and no "done" that leaves a small "not done"."""
    shared = copy.deepcopy(timeliness)
    for measure in shared["measures"].values():
        count, within = measure["count"], measure["within"]
        if is_small(count):
            measure.update(count=None, median=None, within=None, share_within=None)
        elif is_small(within) or is_small(count - within):
            measure.update(within=None, share_within=None)
    reviews = shared["reviews"]
    for key, value in timeliness["reviews"].items():
        if is_small(value):
            reviews[key] = None
    for label in ("6_months", "12_months"):
        due = timeliness["reviews"].get(f"post_exit_{label}_due", 0)
        done = timeliness["reviews"].get(f"post_exit_{label}_done", 0)
        if is_small(due - done):
            reviews[f"post_exit_{label}_done"] = None
    return shared


def _suppress_journey(journey: dict[str, int], outcomes: dict[str, int | None]) -> dict:
    referrals = journey["referrals"]
    discussed = journey["discussed_at_panel"]
    adopted = journey["adopted"]
    hide_total = is_small(referrals)
    hide_discussed = (
        hide_total
        or is_small(discussed)
        or is_small(referrals - discussed)
        or any(outcomes.get(code, 0) is None for code in _channel_outcomes())
    )
    hide_adopted = (
        hide_discussed
        or is_small(adopted)
        or is_small(discussed - adopted)
        or any(outcomes.get(code, 0) is None for code in _adopted_outcomes())
    )
    return {
        "referrals": None if hide_total else referrals,
        "discussed_at_panel": None if hide_discussed else discussed,
        "adopted": None if hide_adopted else adopted,
    }


def _channel_outcomes() -> tuple[str, ...]:
    return ("discussed_at_panel", "adopted", "not_adopted", "consent_declined", "exited")


def _adopted_outcomes() -> tuple[str, ...]:
    return ("adopted", "consent_declined", "exited")


def display(value: int | None) -> str:
    return SUPPRESSED_MARK if value is None else str(value)
