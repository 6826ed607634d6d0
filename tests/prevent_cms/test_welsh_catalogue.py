"""The Welsh catalogue is complete and current (issue 19).

Welsh public bodies must offer their services in Welsh, so a page that falls back to English
because its words were never translated is a fault, not a gap to fill later. These tests fail
on an entry with no Welsh, on a fuzzy one (gettext ignores those, so the page shows English),
on a translation that loses or invents a placeholder or tag, and on any word in the code that
``makemessages`` would add to the catalogue but nobody has translated yet.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

from tests.catalogue import ROOT, WELSH, read

PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|%%|\{[a-z_]*\}|</?[a-z]+[^>]*>")
# What makemessages reads: the code and the templates, nothing else (a copy is quick).
SOURCES = (
    "accounts",
    "channel",
    "consultations",
    "partnership",
    "persons",
    "prevent_cms",
    "referrals",
    "reports",
    "training",
    "templates",
    "manage.py",
)


def test_every_entry_has_its_welsh_and_none_is_fuzzy():
    untranslated = [e.msgid for e in read() if not e.translated]
    fuzzy = [e.msgid for e in read() if "fuzzy" in e.flags]
    assert (untranslated, fuzzy) == ([], [])


def test_translations_keep_every_placeholder_and_tag():
    wrong = []
    for entry in read():
        for key, text in entry.msgstr.items():
            source = entry.msgid if key in ("msgstr", "msgstr[0]") else entry.msgid_plural
            if sorted(PLACEHOLDER.findall(source or "")) != sorted(PLACEHOLDER.findall(text)):
                wrong.append(f"{entry.msgid!r} ({key}): {text!r}")
    assert wrong == []


def test_the_catalogue_compiles_with_its_formats_checked(tmp_path):
    subprocess.run(["msgfmt", "--check", "-o", str(tmp_path / "django.mo"), str(WELSH)], check=True)


def test_makemessages_finds_nothing_the_catalogue_lacks(tmp_path):
    """Run ``makemessages -l cy`` over a copy of the code and compare the msgids."""
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)
    (tmp_path / "locale" / "cy" / "LC_MESSAGES").mkdir(parents=True)
    shutil.copy(WELSH, tmp_path / "locale" / "cy" / "LC_MESSAGES" / "django.po")
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "cy", "-v", "0"],
        cwd=tmp_path,
        check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "prevent_cms.settings.test"},
    )
    fresh = read(tmp_path / "locale" / "cy" / "LC_MESSAGES" / "django.po")
    kept = {e.key for e in read()}
    new = sorted(f"{e.where}: {e.msgid!r}" for e in fresh if e.key not in kept)
    gone = sorted(repr(k[1]) for k in kept - {e.key for e in fresh})
    assert (new, gone) == ([], []), (
        "run `manage.py makemessages -l cy` and translate the new entries"
    )
