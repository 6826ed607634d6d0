"""``make test`` audits GOV.UK Frontend with ``npm audit`` on pip-audit's terms (issue 13).

A finding fails; an advisory service that cannot be reached prints NOT AUDITED and passes
unless ``NPM_AUDIT_REQUIRED=1``; any other error fails. A stand-in ``npm`` plays each answer
the real one gives (the unreachable one is what npm prints on this machine).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "npm_audit.sh"

CLEAN = ("found 0 vulnerabilities", 0)
FINDING = (
    "# npm audit report\n\ngovuk-frontend  <9.9.9\nSeverity: high\n1 high severity vulnerability\n",
    1,
)
UNREACHABLE = (
    "npm warn audit 405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/"
    "security/advisories/bulk\nnpm error audit endpoint returned an error\n",
    1,
)
OFFLINE = ("npm error code ENOTFOUND\nnpm error network request to https://x failed\n", 1)
BROKEN = ("npm error code ELOCKVERIFY\nnpm error Errors were found in your package-lock\n", 1)


def _run(tmp_path, answer, **env):
    output, status = answer
    fake = tmp_path / "npm"
    fake.write_text(
        f"#!/bin/sh\n[ \"$1 $2\" = 'audit --omit=dev' ] || exit 9\n"
        f"cat <<'OUT'\n{output}\nOUT\nexit {status}\n"
    )
    fake.chmod(0o755)
    return subprocess.run(
        [str(SCRIPT)],
        env={**os.environ, "NPM": str(fake), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("answer", "required", "status", "not_audited"),
    [
        (CLEAN, "0", 0, False),
        (FINDING, "0", 1, False),
        (UNREACHABLE, "0", 0, True),
        (OFFLINE, "0", 0, True),
        (UNREACHABLE, "1", 1, True),
        (BROKEN, "0", 1, False),
    ],
    ids=["clean", "finding", "unreachable", "offline", "unreachable-required", "other-error"],
)
def test_npm_audit_runs_on_pip_audits_terms(tmp_path, answer, required, status, not_audited):
    result = _run(tmp_path, answer, NPM_AUDIT_REQUIRED=required)
    assert result.returncode == status, result.stdout + result.stderr
    assert ("NOT AUDITED" in result.stderr) is not_audited


def test_make_test_runs_the_npm_audit():
    assert "./scripts/npm_audit.sh" in (ROOT / "scripts" / "test.sh").read_text()
