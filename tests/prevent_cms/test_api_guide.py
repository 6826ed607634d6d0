"""The examples of docs/api.md run, as written, against a live server (issue 23).

Each fenced ``sh`` or ``python`` block is run as the role its first line names
(``# as: referrer``), with ``$PREVENT_API``, ``$TOKEN`` and ``$CASE_ID`` set. A block whose
info string says ``pending:<part>`` describes part of the contract still being built: it is
not run, but it must be one of ``PENDING`` below, so nothing is left out silently; when the part
is in, drop ``pending:`` from the block and the part from ``PENDING``.
"""

from __future__ import annotations

import os
import re
import subprocess  # nosec B404 - runs the guide's own examples
import sys
from pathlib import Path

import pytest
from django.conf import settings
from rest_framework.authtoken.models import Token

from accounts.models import Role
from tests.channel import factories as cf
from tests.factories import UserFactory
from tests.referrals import factories as rf

GUIDE = Path(settings.BASE_DIR) / "docs" / "api.md"
BLOCK = re.compile(r"^```(sh|python)([^\n]*)\n(.*?)^```$", re.MULTILINE | re.DOTALL)
# Parts of the contract other work is adding now (issue 23): their examples wait for them.
PENDING: set[str] = set()  # every part of the contract is built: every example runs


def guide_blocks() -> list[tuple[str, str, str, str]]:
    """(language, pending part or "", role, code) of every example in the guide."""
    blocks = []
    for language, info, code in BLOCK.findall(GUIDE.read_text()):
        pending = re.search(r"pending:(\S+)", info)
        role = re.match(r"# as: (\w+)\n", code)
        assert role, f"an example without '# as: <role>': {code[:80]!r}"
        blocks.append((language, pending.group(1) if pending else "", role.group(1), code))
    return blocks


def test_the_guide_has_runnable_examples_in_both_languages_and_only_known_pending_ones():
    blocks = guide_blocks()
    runnable = {language for language, pending, _role, _code in blocks if not pending}
    assert runnable == {"sh", "python"}
    assert {pending for _l, pending, _r, _c in blocks if pending} == PENDING


@pytest.mark.long
@pytest.mark.django_db(transaction=True)
def test_every_example_of_the_guide_runs_against_a_live_server(live_server, world, tmp_path):
    team = cf.channel_team(world)
    referrer = rf.referrer_for(world)
    case = cf.support(world, team, referrer=referrer)
    people = {
        "referrer": referrer,
        "prevent_officer": team.officer,
        "channel_chair": team.chair,
        "borough_lead": UserFactory(agency=world.council_a, roles=[Role.BOROUGH_LEAD]),
    }
    tokens = {role: Token.objects.create(user=user).key for role, user in people.items()}
    ran = 0
    for language, pending, role, code in guide_blocks():
        if pending:
            continue
        env = {
            **os.environ,
            "PREVENT_API": live_server.url,
            "TOKEN": tokens[role],
            "CASE_ID": str(case.pk),
        }
        command = ["bash", "-euo", "pipefail", "-c", code]
        if language == "python":
            command = [sys.executable, "-c", code]
        result = subprocess.run(  # nosec B603 - the guide's own examples, no shell expansion
            command, env=env, capture_output=True, text=True, timeout=120, check=False, cwd=tmp_path
        )
        assert result.returncode == 0, f"{code}\n--- output:\n{result.stdout}{result.stderr}"
        ran += 1
    assert ran >= 10
