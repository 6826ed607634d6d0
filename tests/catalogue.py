"""Read a gettext catalogue (.po) the way the Welsh tests need it, without a new dependency.

An entry is its context, its msgid (and plural), its translations and its flags; the header
(the empty msgid) is left out. Obsolete ``#~`` entries are skipped: ``makemessages`` (ours
drops them) would not keep them.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WELSH = ROOT / "locale" / "cy" / "LC_MESSAGES" / "django.po"
_LINE = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (".*")$')


@dataclass
class Entry:
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[str, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    where: str = ""

    @property
    def key(self) -> tuple[str | None, str]:
        return self.msgctxt, self.msgid

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr.values())


def read(path: Path = WELSH) -> list[Entry]:
    entries: list[Entry] = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if line.strip()]
        if not lines or all(line.startswith("#~") or line.startswith("#") for line in lines):
            continue
        entry, last = Entry(), None
        for line in lines:
            if line.startswith("#,"):
                entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#:"):
                entry.where = entry.where or line[2:].split()[0]
            elif line.startswith("#"):
                continue
            elif match := _LINE.match(line):
                last = match.group(1)
                value = ast.literal_eval(match.group(2))
                if last.startswith("msgstr"):
                    entry.msgstr[last] = value
                else:
                    setattr(entry, last, value)
            elif line.startswith('"') and last:
                value = ast.literal_eval(line)
                if last.startswith("msgstr"):
                    entry.msgstr[last] += value
                else:
                    setattr(entry, last, getattr(entry, last) + value)
        if entry.msgid:
            entries.append(entry)
    return entries
