"""Figures the security tests measure, reported at the end of the run (issue 7 asks for them)."""

from __future__ import annotations

FIGURES: dict[str, int] = {}


def record(name: str, value: int) -> None:
    FIGURES[name] = value


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not FIGURES:
        return
    terminalreporter.section("security figures")
    for name, value in FIGURES.items():
        terminalreporter.write_line(f"{name}: {value}")
