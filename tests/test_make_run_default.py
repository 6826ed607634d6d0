"""``make run`` serves on SQLite, the embedded default: every demo person's pages answer there.

The suite runs on PostgreSQL, as production does. A query only PostgreSQL can run (``DISTINCT
ON``, say) passes every other test and breaks the first thing a new user sees: the demo. This
migrates (``migrated_sqlite``, then ``migrate`` again finds nothing left) and seeds a SQLite
database under the settings ``make run`` uses, then walks every
demo person's pages (``tests.walk``, every form sent once) and fails on any server error.
"""

import shutil
import subprocess  # nosec B404 - runs this checkout's manage.py settings in a child process
import sys
from pathlib import Path

import pytest

from tests.conftest import SQLITE_GROUP, make_run_environment

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = """
import sys
import django
django.setup()
from django.core.management import call_command
from django.test.utils import setup_test_environment
setup_test_environment()
call_command("migrate", verbosity=0)
call_command("seed_demo", verbosity=0)
from accounts.demo import PEOPLE
from accounts.models import User
import tests.walk as walk
from django.test import Client
walk.Client = lambda: Client(raise_request_exception=False)  # every error listed, not the first
errors, fetched = [], []
plain_fetch = walk.fetch
def fetch(client, url):
    page = plain_fetch(client, url)
    fetched.append(page.url)
    if page.status >= 500:
        errors.append(page.url)
    return page
walk.fetch = fetch
people = {u.username: u for u in User.objects.filter(username__in=PEOPLE)}
walks = walk.walk_everyone(people)
answers = [answer for w in walks for _page, _method, answer in w.answers]
errors += [answer.url for answer in answers if answer.status >= 500]
print("people", len(people), "pages", len(fetched), "forms", len(answers))
print("errors", errors)
sys.exit(1 if errors or len(people) != len(PEOPLE) else 0)
"""


@pytest.mark.long
@pytest.mark.xdist_group(SQLITE_GROUP)
def test_every_demo_page_answers_on_the_embedded_sqlite_default(tmp_path, migrated_sqlite):
    database = tmp_path / "db.sqlite3"
    shutil.copyfile(migrated_sqlite, database)
    environment = make_run_environment(tmp_path, database)
    result = subprocess.run(  # nosec B603 - fixed arguments, no shell
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    summary = [line for line in result.stdout.splitlines() if line.startswith(("people", "errors"))]
    assert result.returncode == 0, "\n".join(summary) + result.stderr[-3000:]
    assert summary, result.stderr[-3000:]
    assert int(summary[0].split()[3]) > 100, summary  # pages fetched: the walk went round
