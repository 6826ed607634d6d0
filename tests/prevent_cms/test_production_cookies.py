"""Under production settings every cookie the service sets has the ``__Host-`` prefix.

ASVS 5.0 3.3.1: a ``__Host-`` cookie is accepted by browsers only when it is Secure, has
``Path=/`` and no ``Domain``, so no other host under the same domain can plant or overwrite
the session or CSRF cookie. The check runs a real sign-in in a separate process under
``prevent_cms.settings.production`` (on a throwaway SQLite database, static files unhashed),
and reads the ``Set-Cookie`` headers the browser would get.
"""

import json
import shutil
import subprocess
import sys

import pytest

from tests.conftest import SQLITE_GROUP
from tests.test_deployment import OPERATOR_ENV, ROOT, process_env

SCRIPT = """
import json
import django
from django.core.management import call_command

django.setup()
call_command("migrate", verbosity=0)

from django.conf import settings
from django.test import Client, override_settings
from accounts.models import User

# The image's collectstatic manifest is not built here; nothing else is changed.
plain_static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain_static}).enable()

User.objects.create_user(username="cookie-check", password="a-long-password-1")
client = Client(HTTP_HOST="prevent.example.gov.uk")
page = client.get("/accounts/login/", secure=True)
signed_in = client.post(
    "/accounts/login/",
    {"username": "cookie-check", "password": "a-long-password-1"},
    secure=True,
)
# The language toggle (issue 19) sets a cookie of its own.
welsh = client.post("/language/", {"language": "cy", "next": "/"}, secure=True)
cookies = {}
for response in (page, signed_in, welsh):
    for name, morsel in response.cookies.items():
        cookies[name] = {
            "secure": bool(morsel["secure"]),
            "path": morsel["path"],
            "domain": morsel["domain"],
            "httponly": bool(morsel["httponly"]),
        }
status = [page.status_code, signed_in.status_code, welsh.status_code]
print(json.dumps({"status": status, "cookies": cookies}))
"""


@pytest.mark.long
@pytest.mark.xdist_group(SQLITE_GROUP)
def test_production_cookies_use_the_host_prefix(tmp_path, migrated_sqlite):
    database = tmp_path / "cookies.sqlite3"
    shutil.copyfile(migrated_sqlite, database)
    environment = {
        **OPERATOR_ENV,
        "DJANGO_SETTINGS_MODULE": "prevent_cms.settings.production",
        "DATABASE_URL": f"sqlite:///{database}",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=process_env(environment),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["status"] == [200, 302, 302]
    cookies = seen["cookies"]
    assert set(cookies) == {"__Host-csrftoken", "__Host-sessionid", "__Host-language"}
    for name, attributes in cookies.items():
        assert attributes["secure"], name
        assert attributes["path"] == "/", name
        assert attributes["domain"] == "", name
        assert attributes["httponly"], name
