"""Suppression: no small count is shown, and none can be recovered from totals."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reports.suppression import THRESHOLD, suppress_statistics, suppress_table

from .test_statistics import EXPECTED


def feasible_values(shown: dict, total: int) -> dict[str, set[int]]:
    """Every value each hidden cell can take, given the shown cells and the total.

    A hidden cell can be ``v`` when the other hidden cells (non-negative counts) can make up
    the rest exactly: always if there is another hidden cell, else only when the rest is 0.
    """
    hidden = [code for code, value in shown.items() if value is None]
    rest = total - sum(v for v in shown.values() if v is not None)
    return {code: {v for v in range(rest + 1) if len(hidden) > 1 or v == rest} for code in hidden}


def test_single_small_cell_gets_a_secondary_partner():
    shown = suppress_table({"a": 3, "b": 10, "c": 20})
    assert shown == {"a": None, "b": None, "c": 20}


def test_two_tiny_cells_need_more_cover():
    # 1 + 1 = 2: the pair alone would still say "two people, one each".
    shown = suppress_table({"a": 1, "b": 1, "c": 7, "d": 30})
    assert shown == {"a": None, "b": None, "c": None, "d": 30}


def test_zero_and_large_cells_are_shown_when_nothing_is_small():
    assert suppress_table({"a": 0, "b": 5, "c": 12}) == {"a": 0, "b": 5, "c": 12}


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=12), min_size=2, max_size=6))
def test_no_suppressed_value_is_recoverable_from_the_total(values):
    cells = {f"c{i}": v for i, v in enumerate(values)}
    total = sum(values)
    shown = suppress_table(cells, total)
    # No small count is ever shown.
    assert not any(v is not None and 0 < v < THRESHOLD for v in shown.values())
    hidden = [code for code, v in shown.items() if v is None]
    if not hidden or total < THRESHOLD:
        return  # the total itself is suppressed when small
    for code, possible in feasible_values(shown, total).items():
        assert len(possible) > 1, (cells, shown, code)
    assert sum(cells[c] for c in hidden) >= THRESHOLD


def test_shared_statistics_of_the_fixture():
    shared = suppress_statistics(EXPECTED)
    assert shared["total_referrals"] == 13
    assert shared["by_sector"]["education"] == 6
    assert all(shared["by_sector"][c] is None for c in ("police", "health", "community"))
    # 2 + 1 + 1 hidden is under 5, so "male" goes too: 13 - 9 would say "4 others".
    assert shared["by_gender"] == {"male": None, "female": None, "other": None, "not_known": None}
    for table in ("by_sector", "by_concern_type", "by_age_group", "by_gender", "outcomes"):
        for value in shared[table].values():
            assert value is None or value == 0 or value >= THRESHOLD
        for code, possible in feasible_values(shared[table], 13).items():
            assert len(possible) > 1, (table, code)
    # Outcome cells behind the journey are hidden, so the journey hides them too.
    assert shared["journey"] == {"referrals": 13, "discussed_at_panel": None, "adopted": None}


@pytest.mark.parametrize("total", [1, 4])
def test_small_total_is_suppressed(total):
    stats = {
        "total_referrals": total,
        "by_sector": {"education": total},
        "by_concern_type": {"unclear": total},
        "by_age_group": {"unknown": total},
        "by_gender": {"male": total},
        "outcomes": {"open": total},
        "journey": {"referrals": total, "discussed_at_panel": 0, "adopted": 0},
    }
    shared = suppress_statistics(stats)
    assert shared["total_referrals"] is None
    assert shared["by_sector"] == {"education": None}
    assert shared["journey"]["referrals"] is None
