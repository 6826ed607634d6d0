"""Figures the security tests measure, reported at the end of the run (issue 7 asks for them).

Under pytest-xdist a test runs in a worker process while the summary is written by the
controller, so a figure travels on the test's report (``user_properties``) and
``tests/conftest.py`` gathers and prints them.
"""

from __future__ import annotations

import pytest

FIGURE = "security figure"
_current: list[pytest.Item] = []


@pytest.fixture(autouse=True)
def _figures_item(request):
    _current.append(request.node)
    yield
    _current.pop()


def record(name: str, value: int) -> None:
    """A figure one test measures whole (the last report of it wins)."""
    _current[-1].user_properties.append((FIGURE, ("set", name, value)))


def add(name: str, value: int) -> None:
    """A share of a figure several tests measure (the summary prints the sum)."""
    _current[-1].user_properties.append((FIGURE, ("add", name, value)))
