"""The project's own Python source, for tests that check a piece is defined in one place."""

import os
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Not the project's code: installed packages, tests, migrations (frozen history), assets.
SKIP = {".venv", "node_modules", ".git", "tests", "migrations", "static", "__pycache__"}


@cache
def project_files() -> tuple[Path, ...]:
    found = []
    for folder, subfolders, files in os.walk(ROOT):
        subfolders[:] = sorted(name for name in subfolders if name not in SKIP)
        found += [Path(folder, name) for name in sorted(files) if name.endswith(".py")]
    return tuple(found)


def files_containing(text: str) -> list[str]:
    """The project files, relative to the repository, whose source contains ``text``."""
    return [str(path.relative_to(ROOT)) for path in project_files() if text in path.read_text()]
