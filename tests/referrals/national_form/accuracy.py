"""How many of the fields each fixture form has filled in are read correctly.

    DJANGO_SETTINGS_MODULE=prevent_cms.settings.test \\
      .venv/bin/python -m tests.referrals.national_form.accuracy

prints one line per fixture file and the total. "Filled in" counts every draft field the
practitioner answered, including answers no careful reader could understand (a two-digit
year, "M/F?"); "read correctly" counts the fields whose value equals the expected one.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

import django

if __name__ == "__main__":  # run as a script: the models the reader names need the apps
    django.setup()

from referrals.national_form.reader import read_form

from . import forms


@dataclass
class Score:
    file: str
    filled: int
    correct: int
    wrong: list[str]

    def line(self) -> str:
        return f"{self.file:<20} {self.correct:>3} / {self.filled:<3} fields read correctly"


def score(name: str, fixture: forms.Fixture, content: bytes) -> Score:
    reading = read_form(content)
    correct, wrong = 0, []
    for field, expected in fixture.expected.items():
        if field not in reading.values:
            continue
        if expected != forms.UNREADABLE and reading.values[field] == expected:
            correct += 1
        else:
            wrong.append(field)
    wrong += [field for field in reading.values if field not in fixture.expected]
    return Score(name, len(fixture.expected), correct, wrong)


def scores() -> list[Score]:
    return [score(name, fixture, content) for name, fixture, content in forms.fixture_files()]


def main() -> None:
    results = scores()
    for result in results:
        sys.stdout.write(result.line() + "\n")
    filled = sum(r.filled for r in results)
    correct = sum(r.correct for r in results)
    sys.stdout.write(f"{'all fixtures':<20} {correct:>3} / {filled:<3} fields read correctly\n")


if __name__ == "__main__":
    main()
