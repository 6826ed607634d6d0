"""The deployment description (docker-compose.yml, Dockerfile, README) matches the code.

No Docker engine runs here, so these tests read the files and run what they would run: the
production checks with the compose environment, gunicorn with the web health check, the
collectstatic step of the image, and (with Redis) the worker and beat health checks.
"""

import ast
import json
import os
import re
import secrets
import shlex
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from django.conf import settings

from tests import worker as real_worker

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = ROOT / "prevent_cms" / "settings"
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")
SERVICES = COMPOSE["services"]
# Built from this repository's Dockerfile.
WORKERS = ["worker", "worker-email", "worker-pdf", "worker-exports"]  # one per queue kind
APP_SERVICES = ["migrate", "web", *WORKERS, "beat"]
PRODUCTION = "prevent_cms.settings.production"
MEDIA_ROOT = "/var/lib/prevent-cms/media"

# What an operator puts in .env; everything else in the compose file has a default.
OPERATOR_ENV = {
    "SECRET_KEY": secrets.token_urlsafe(50),
    "POSTGRES_PASSWORD": "db-password-for-tests",
    "ALLOWED_HOSTS": "prevent.example.gov.uk",
    "SITE_URL": "https://prevent.example.gov.uk",
    "OBJECT_STORE_PASSWORD": "object-store-password-for-tests",
}
# What the database and object-store services also need from .env.
INFRASTRUCTURE_ENV = {
    **OPERATOR_ENV,
    "POSTGRES_REPLICATION_PASSWORD": "replication-password-for-tests",
    "MINIO_KMS_SECRET_KEY": "prevent-key:" + "A" * 43 + "=",
}

celery_worker_factory = real_worker.celery_worker_factory
celery_worker_process = real_worker.celery_worker_process


# --- reading the files -------------------------------------------------------------------


def _env_calls(node: ast.AST) -> list[str]:
    """Variable names read by ``env("X")`` / ``env.bool("X")`` / … anywhere under ``node``."""
    names = []
    for call in ast.walk(node):
        if not isinstance(call, ast.Call) or not call.args:
            continue
        func = call.func
        is_env = (isinstance(func, ast.Name) and func.id == "env") or (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id == "env"
        )
        first = call.args[0]
        if is_env and isinstance(first, ast.Constant) and isinstance(first.value, str):
            names.append(first.value)
    return names


def _root_name(target: ast.AST) -> str | None:
    while isinstance(target, ast.Subscript | ast.Attribute):
        target = target.value
    return target.id if isinstance(target, ast.Name) else None


def settings_env_reads(module: str) -> dict[str, set[str]]:
    """Environment variable → the settings assigned from it, in one settings module."""
    tree = ast.parse((SETTINGS / f"{module}.py").read_text(encoding="utf-8"))
    reads: dict[str, set[str]] = {}
    for statement in tree.body:
        if isinstance(statement, ast.Assign | ast.AnnAssign):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            setting_names = {name for t in targets if (name := _root_name(t))}
        else:
            setting_names = set()
        for name in _env_calls(statement):
            reads.setdefault(name, set()).update(setting_names)
    return reads


def constant_overrides(module: str) -> set[str]:
    """Settings a module sets to a fixed value (not from the environment)."""
    tree = ast.parse((SETTINGS / f"{module}.py").read_text(encoding="utf-8"))
    return {
        target.id
        for statement in tree.body
        if isinstance(statement, ast.Assign) and not _env_calls(statement)
        for target in statement.targets
        if isinstance(target, ast.Name)
    }


def production_env_vars() -> set[str]:
    """Variables that change something under production settings (base, then production)."""
    base, production = settings_env_reads("base"), settings_env_reads("production")
    fixed = constant_overrides("production")
    effective = {name for name, targets in base.items() if not targets or targets - fixed}
    return effective | set(production)


def all_settings_env_vars() -> set[str]:
    names: set[str] = set()
    for path in SETTINGS.glob("*.py"):
        names |= set(settings_env_reads(path.stem))
    return names


_VARIABLE = re.compile(
    r"\$\$|\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}"
)


def interpolate(value: str, environ: dict[str, str]) -> str:
    """Compose's ``${VAR}``, ``${VAR:-default}``, ``${VAR:?error}`` and ``$$`` rules."""

    def replace(match: re.Match) -> str:
        if match.group(0) == "$$":
            return "$"
        name, op, arg = match.group("name", "op", "arg")
        value = environ.get(name)
        if op in (":-", ":?") and value == "":
            value = None
        if value is not None:
            return value
        if op and op.endswith("?"):
            raise KeyError(f"{name}: {arg}")
        return arg if op else ""

    return _VARIABLE.sub(replace, value)


def service_environment(service: str, environ: dict[str, str] | None = None) -> dict[str, str]:
    raw = SERVICES[service].get("environment") or {}
    if isinstance(raw, list):
        raw = dict(item.split("=", 1) for item in raw)
    if environ is None:
        return {key: str(value) for key, value in raw.items()}
    return {key: interpolate(str(value), environ) for key, value in raw.items()}


def healthcheck_command(service: str) -> list[str]:
    test = SERVICES[service]["healthcheck"]["test"]
    if isinstance(test, str):
        return ["sh", "-c", interpolate(test, {})]
    kind, *args = test
    if kind == "CMD-SHELL":
        return ["sh", "-c", interpolate(args[0], {})]
    assert kind == "CMD", test
    return [interpolate(arg, {}) for arg in args]


def dockerfile_cmd() -> list[str]:
    joined = DOCKERFILE.replace("\\\n", " ")
    (cmd,) = re.findall(r"^CMD (\[.*\])\s*$", joined, flags=re.MULTILINE)
    return json.loads(cmd)


def process_env(extra: dict[str, str]) -> dict[str, str]:
    """A clean environment: nothing from this test run (DATABASE_URL, settings) leaks in."""
    keep = {key: os.environ[key] for key in ("PATH", "HOME", "LANG", "TMPDIR") if key in os.environ}
    return {**keep, "PYTHONUNBUFFERED": "1", **extra}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- the compose file --------------------------------------------------------------------


def test_compose_names_the_five_services_each_with_a_health_check():
    assert {"web", "worker", "beat", "db", "redis"} <= set(SERVICES)
    for name in ("web", "worker", "beat", "db", "redis"):
        healthcheck = SERVICES[name].get("healthcheck")
        assert healthcheck, f"{name} has no health check"
        assert healthcheck.get("test"), f"{name} has no health check command"
        assert not healthcheck.get("disable"), name
        assert healthcheck["test"][0] in ("CMD", "CMD-SHELL"), name
        assert {"interval", "timeout", "retries"} <= set(healthcheck), name
    assert SERVICES["db"]["image"] == "postgres:15"
    assert SERVICES["redis"]["image"] == "redis:7"


def test_each_process_runs_what_it_should_from_this_repositorys_image():
    for name in APP_SERVICES:
        assert SERVICES[name]["build"] == ".", name
        assert service_environment(name)["DJANGO_SETTINGS_MODULE"] == PRODUCTION, name
    web = SERVICES["web"]["command"]
    assert web[:2] == ["gunicorn", "prevent_cms.wsgi"]
    assert web == dockerfile_cmd(), "docker-compose.yml and the image's CMD run gunicorn alike"
    assert SERVICES["worker"]["command"][:4] == ["celery", "-A", "prevent_cms", "worker"]
    assert SERVICES["beat"]["command"][:4] == ["celery", "-A", "prevent_cms", "beat"]
    assert SERVICES["migrate"]["command"] == ["python", "manage.py", "migrate", "--no-input"]
    assert SERVICES["migrate"]["restart"] == "no"
    assert SERVICES["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    for name in ("web", *WORKERS, "beat"):
        depends_on = SERVICES[name]["depends_on"]
        assert depends_on["migrate"]["condition"] == "service_completed_successfully", name
        assert depends_on["redis"]["condition"] == "service_healthy", name
    assert SERVICES["beat"].get("deploy", {}).get("replicas", 1) == 1, "one beat, ever"


def test_every_variable_the_app_services_set_is_read_by_the_production_settings():
    read = production_env_vars()
    for name in APP_SERVICES:
        environment = service_environment(name)
        unread = set(environment) - read - {"DJANGO_SETTINGS_MODULE"}
        assert not unread, f"{name} sets {sorted(unread)}, which production settings ignore"
    # The reading itself is checked too: production fixes these, so setting them is a lie.
    assert "DEBUG" not in read
    assert "MFA_REQUIRED" not in read
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS", "MEDIA_ROOT"} <= read


def test_secrets_and_the_public_host_come_from_the_operator_never_from_a_default():
    for variable in OPERATOR_ENV:
        missing = {key: value for key, value in OPERATOR_ENV.items() if key != variable}
        with pytest.raises(KeyError, match=variable):
            service_environment("web", missing)
    with pytest.raises(KeyError, match="POSTGRES_PASSWORD"):
        service_environment("db", {})
    for name in ("db", "db-replica"):
        with pytest.raises(KeyError, match="POSTGRES_REPLICATION_PASSWORD"):
            service_environment(name, OPERATOR_ENV)
    with pytest.raises(KeyError, match="MINIO_KMS_SECRET_KEY"):
        service_environment("objects", OPERATOR_ENV)


def test_the_app_reaches_the_db_and_redis_services_with_their_credentials():
    app = service_environment("web", OPERATOR_ENV)
    db = service_environment("db", INFRASTRUCTURE_ENV)
    database = urlsplit(app["DATABASE_URL"])
    assert database.scheme == "postgres"
    assert (database.hostname, database.port) == ("db", 5432)
    assert database.username == db["POSTGRES_USER"]
    assert database.password == db["POSTGRES_PASSWORD"] == OPERATOR_ENV["POSTGRES_PASSWORD"]
    assert database.path == f"/{db['POSTGRES_DB']}"
    assert urlsplit(app["REDIS_URL"]).hostname == "redis"
    for name in APP_SERVICES:
        assert service_environment(name, OPERATOR_ENV) == app, "one environment for all"


def test_databases_live_on_named_volumes_and_files_in_the_object_store():
    declared = set(COMPOSE["volumes"])
    assert "pgdata:/var/lib/postgresql/data" in SERVICES["db"]["volumes"]
    media = service_environment("web")["MEDIA_ROOT"]
    assert media == MEDIA_ROOT
    assert re.findall(r"\bMEDIA_ROOT=(\S+)", DOCKERFILE) == [MEDIA_ROOT], "image and compose agree"
    # Files: one bucket on the objects service, shared by every web and worker container
    # (issue 20), with the store's own credentials; nothing on a container's disk.
    app = service_environment("web", OPERATOR_ENV)
    store = service_environment("objects", INFRASTRUCTURE_ENV)
    assert urlsplit(app["AWS_S3_ENDPOINT_URL"]).hostname == "objects"
    assert app["AWS_ACCESS_KEY_ID"] == store["MINIO_ROOT_USER"]
    assert app["AWS_SECRET_ACCESS_KEY"] == store["MINIO_ROOT_PASSWORD"]
    assert store["MINIO_KMS_SECRET_KEY"], "server-side encryption needs the store's key"
    bucket = " ".join(SERVICES["objects-bucket"]["entrypoint"])
    assert f"mc mb --ignore-existing store/{app['AWS_STORAGE_BUCKET_NAME']}" in bucket
    assert f"mc anonymous set none store/{app['AWS_STORAGE_BUCKET_NAME']}" in bucket
    assert "objects:/data" in SERVICES["objects"]["volumes"]
    for name in ("web", *WORKERS):
        condition = SERVICES[name]["depends_on"]["objects-bucket"]["condition"]
        assert condition == "service_completed_successfully", name
        assert not any(media in volume for volume in SERVICES[name].get("volumes", [])), name
    mounts = [volume for service in SERVICES.values() for volume in service.get("volumes", [])]
    # Configuration files of this repository (./deploy/...) are bound read-only; everything
    # else is a declared named volume.
    files = [volume for volume in mounts if volume.startswith("./")]
    for volume in files:
        source, _target, mode = volume.split(":")
        assert mode == "ro", volume
        assert (ROOT / source).is_file(), volume
    mounted = {volume.split(":", 1)[0] for volume in mounts if volume not in files}
    assert mounted <= declared
    assert {"pgdata", "pgreplica", "objects", "redisdata"} <= declared


def test_only_the_proxys_port_is_published_and_only_on_loopback():
    published = {name: service.get("ports") for name, service in SERVICES.items()}
    assert published.pop("proxy") == ["127.0.0.1:8000:8000"]
    assert not any(published.values()), published


# --- beyond one machine (issue 20) ---------------------------------------------------------


def test_the_compose_file_is_valid_against_the_compose_specification():
    """The Compose specification's JSON schema, as check-jsonschema ships it (no Docker here)."""
    checker = Path(sys.executable).with_name("check-jsonschema")
    result = subprocess.run(
        [str(checker), "--builtin-schema", "vendor.compose-spec", str(ROOT / "docker-compose.yml")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_two_web_replicas_sit_behind_the_proxy():
    assert SERVICES["web"]["deploy"]["replicas"] >= 2
    assert "ports" not in SERVICES["web"]
    assert "container_name" not in SERVICES["web"], "replicas need their own names"
    proxy = SERVICES["proxy"]
    (mount,) = proxy["volumes"]
    source, target = mount.split(":")[:2]
    config = (ROOT / source).read_text(encoding="utf-8")
    assert target.startswith("/etc/nginx/conf.d/")
    assert re.search(r"upstream prevent_web \{[^}]*server web:8000", config)
    assert "proxy_pass http://prevent_web;" in config
    assert "proxy_set_header X-Forwarded-Proto" in config
    assert re.search(r"location = /metrics \{ return 404; \}", config), "metrics stay private"
    assert proxy["depends_on"]["web"]["condition"] == "service_healthy"


def test_there_is_a_worker_for_each_queue_and_every_queue_has_one():
    from prevent_cms.queues import QUEUE_NAMES

    consumed = []
    for name in WORKERS:
        command = SERVICES[name]["command"]
        assert command[:4] == ["celery", "-A", "prevent_cms", "worker"], name
        (queues,) = [arg.split("=", 1)[1] for arg in command if arg.startswith("--queues=")]
        consumed += queues.split(",")
        assert SERVICES[name]["healthcheck"]["test"] == SERVICES["worker"]["healthcheck"]["test"]
    assert sorted(consumed) == sorted(QUEUE_NAMES), "each queue exactly once"
    assert SERVICES["worker-email"]["command"] != SERVICES["worker-pdf"]["command"]


def test_the_replica_is_a_streaming_standby_of_db_that_reports_read():
    replica = SERVICES["db-replica"]
    assert replica["image"] == SERVICES["db"]["image"] == "postgres:15"
    script = " ".join(replica["command"])
    assert "pg_basebackup -h db -U replicator" in script
    assert " -R " in script, "pg_basebackup -R writes the standby's connection settings"
    assert "pgreplica:/var/lib/postgresql/data" in replica["volumes"]
    assert replica["depends_on"]["db"]["condition"] == "service_healthy"
    assert "pg_is_in_recovery()" in " ".join(replica["healthcheck"]["test"])
    init = [v for v in SERVICES["db"]["volumes"] if "docker-entrypoint-initdb.d" in v]
    (script_path,) = [v.split(":")[0] for v in init]
    init_script = (ROOT / script_path).read_text(encoding="utf-8")
    assert "WITH REPLICATION LOGIN" in init_script
    assert "host replication replicator" in init_script
    app = service_environment("web", OPERATOR_ENV)
    primary, standby = urlsplit(app["DATABASE_URL"]), urlsplit(app["DATABASE_REPLICA_URL"])
    assert (standby.hostname, standby.port) == ("db-replica", 5432)
    assert (standby.username, standby.password, standby.path) == (
        primary.username,
        primary.password,
        primary.path,
    ), "the standby holds the primary's roles and database"


# --- the Dockerfile ----------------------------------------------------------------------


def test_the_image_is_built_as_the_design_says():
    lines = DOCKERFILE.replace("\\\n", " ").splitlines()
    froms = [line.split()[1] for line in lines if line.startswith("FROM ")]
    assert froms[-1] == "python:3.11-slim-bookworm"
    assert "npm ci" in DOCKERFILE
    assert "python scripts/build_assets.py" in DOCKERFILE
    assert "pip install -r requirements/base.txt" in DOCKERFILE
    assert re.search(r"SECRET_KEY=\S+ python manage.py collectstatic --no-input", DOCKERFILE)
    assert "libpango-1.0-0" in DOCKERFILE
    assert "libpangoft2-1.0-0" in DOCKERFILE
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users, "the image sets a USER"
    assert users[-1] not in ("root", "0"), "the app runs as an unprivileged user"
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".env", ".venv", ".git", "node_modules", "db.sqlite3"} <= set(ignored)


# --- running what the deployment runs ----------------------------------------------------


def test_production_checks_pass_with_the_compose_environment():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=process_env(service_environment("web", OPERATOR_ENV)),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_images_collectstatic_step_works_under_production_settings(tmp_path):
    """The image collects static files into a manifest, which fails on any missing reference.

    The image's storage (WhiteNoise's) also compresses every file, which takes a minute and
    proves nothing more, so this runs Django's manifest storage it builds on.
    """
    script = (
        "import django, sys\n"
        "django.setup()\n"
        "from django.conf import settings\n"
        "from django.core.management import call_command\n"
        "from django.test.utils import override_settings\n"
        "assert settings.STORAGES['staticfiles']['BACKEND'] == sys.argv[2], 'image storage'\n"
        "manifest = 'django.contrib.staticfiles.storage.ManifestStaticFilesStorage'\n"
        "storages = {**settings.STORAGES, 'staticfiles': {'BACKEND': manifest}}\n"
        "with override_settings(STATIC_ROOT=sys.argv[1], STORAGES=storages):\n"
        "    call_command('collectstatic', interactive=False, verbosity=0)\n"
    )
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            script,
            str(tmp_path / "static"),
            "whitenoise.storage.CompressedManifestStaticFilesStorage",
        ],
        cwd=ROOT,
        env=process_env(
            {"DJANGO_SETTINGS_MODULE": PRODUCTION, "SECRET_KEY": "build-time-only-not-secret"}
        ),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())
    assert "vendor/govuk/govuk-frontend.min.css" in manifest["paths"]


@pytest.mark.long
def test_the_web_health_check_passes_against_gunicorn_under_production_settings(tmp_path):
    port = free_port()
    command = [
        f"--bind=127.0.0.1:{port}" if arg.startswith("--bind=") else arg
        for arg in SERVICES["web"]["command"]
    ]
    command[0] = str(Path(sys.executable).with_name("gunicorn"))
    environment = {
        **service_environment("web", OPERATOR_ENV),
        # /health/ runs SELECT 1; an empty SQLite file stands in for the db service.
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    log_path = tmp_path / "gunicorn.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            command, cwd=ROOT, env=process_env(environment), stdout=log, stderr=subprocess.STDOUT
        )
    try:
        check = healthcheck_command("web")
        check[0] = sys.executable if check[0] == "python" else check[0]
        check = [arg.replace("127.0.0.1:8000", f"127.0.0.1:{port}") for arg in check]
        # Waits for the condition; the deadline only bounds a server that never comes up (a busy
        # CI machine has taken over 30 s to import the production settings and boot a worker).
        deadline = time.monotonic() + 180
        while True:
            result = subprocess.run(
                check, env=process_env(environment), capture_output=True, text=True, check=False
            )
            if result.returncode == 0 or time.monotonic() > deadline or server.poll() is not None:
                break
            time.sleep(0.2)
        assert result.returncode == 0, result.stderr[-2000:] + log_path.read_text()[-2000:]

        # A search in the query string must not reach the access log.
        probe = check[:-1] + [check[-1].replace("/health/", "/health/?q=Probe-Surname")]
        subprocess.run(probe, env=process_env(environment), capture_output=True, check=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    log = log_path.read_text()
    assert '"GET /health/" 200' in log
    assert "Probe-Surname" not in log


@pytest.mark.worker
def test_the_worker_and_beat_health_checks_pass_against_a_real_worker(celery_worker_process):
    hostname = socket.gethostname()
    worker_check = healthcheck_command("worker")
    assert worker_check[:2] == ["sh", "-c"]
    prefix = celery_worker_process.nodename.split("@")[0]
    script = worker_check[2].replace("worker@$HOSTNAME", f"{prefix}@$HOSTNAME")
    assert script.startswith("celery ")
    script = shlex.quote(real_worker._celery_executable()) + script[len("celery") :]
    environment = {**celery_worker_process.env, "HOSTNAME": hostname}
    result = subprocess.run(
        ["sh", "-c", script],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "pong" in result.stdout

    beat_check = healthcheck_command("beat")
    beat_check[0] = sys.executable if beat_check[0] == "python" else beat_check[0]
    result = subprocess.run(
        beat_check,
        env=process_env({"REDIS_URL": settings.REDIS_URL}),
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stderr


# --- the README --------------------------------------------------------------------------


def app_settings() -> set[str]:
    """Policy settings the apps read with a default in code (``getattr(settings, "X", ...)``)."""
    names: set[str] = set()
    pattern = re.compile(r'(?:getattr\(\s*settings,\s*|_get\()"([A-Z][A-Z0-9_]*)"')
    for app in (
        "accounts",
        "referrals",
        "channel",
        "training",
        "reports",
        "consultations",
        "prevent_cms",
    ):
        for path in (ROOT / app).rglob("*.py"):
            names |= set(pattern.findall(path.read_text(encoding="utf-8")))
    return names


def test_the_app_settings_are_documented_too():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([A-Z][A-Z0-9_]*)` \|", readme, flags=re.MULTILINE))
    missing = app_settings() - documented - {"MAX_ATTACHMENT_BYTES"}
    assert not missing, f"README.md's policy settings table lacks {sorted(missing)}"


def test_the_readme_documents_every_setting_in_its_table():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([A-Z][A-Z0-9_]*)` \|", readme, flags=re.MULTILINE))
    missing = all_settings_env_vars() - documented
    assert not missing, f"README.md's settings table lacks {sorted(missing)}"
    stale = documented - all_settings_env_vars() - app_settings() - {"DJANGO_SETTINGS_MODULE"}
    assert not stale, f"README.md documents {sorted(stale)}, which no settings read"
