"""Files in an S3-compatible object store through django-storages (issue 20).

MinIO's server cannot be installed from the package registries this project uses, so the
store is moto's standalone S3 server (``moto_server``, from PyPI), started here as its own
process on a free loopback port and spoken to over HTTP by boto3, as a real bucket would be.
"""

from __future__ import annotations

import datetime
import json
import socket
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import boto3
import pytest
import requests
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.models import Role, RoleGrant
from prevent_cms.models import Job
from prevent_cms.purge import retention_purge
from referrals import services as referral_services
from tests.referrals import factories as rf
from tests.worker import celery_worker_factory, worker_database_url  # noqa: F401

pytestmark = pytest.mark.django_db

CREDENTIALS = {"aws_access_key_id": "test-key", "aws_secret_access_key": "test-secret"}
REGION = "eu-west-2"
ROOT = Path(__file__).resolve().parents[2]


def settings_storage_options() -> dict:
    return django_settings.STORAGES["default"]["OPTIONS"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def s3_endpoint(tmp_path_factory):
    """moto's S3 server in its own process, for this pytest process."""
    port = free_port()
    log = tmp_path_factory.mktemp("s3") / "moto.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("moto_server")),
                "-H",
                "127.0.0.1",
                "-p",
                str(port),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            assert server.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "moto_server did not start"
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    server.terminate()
    server.wait(timeout=10)


def s3_client(endpoint: str):
    return boto3.client("s3", endpoint_url=endpoint, region_name=REGION, **CREDENTIALS)


@pytest.fixture
def bucket(s3_endpoint, settings, tmp_path):
    """A private bucket of its own, and the app's default storage pointed at it (MEDIA_ROOT,
    which nothing should write to now, an empty directory of this test's)."""
    name = f"prevent-{uuid.uuid4().hex[:12]}"
    settings.MEDIA_ROOT = str(tmp_path / "local-media")
    client = s3_client(s3_endpoint)
    client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": name,
                "endpoint_url": s3_endpoint,
                "region_name": REGION,
                "access_key": CREDENTIALS["aws_access_key_id"],
                "secret_key": CREDENTIALS["aws_secret_access_key"],
                "default_acl": None,
                "file_overwrite": False,
                "querystring_auth": True,
                "querystring_expire": 60,
                "object_parameters": {"ServerSideEncryption": "AES256"},
            },
        },
    }
    return name, client


def test_the_production_settings_build_the_same_storage_from_the_environment(tmp_path):
    """What the test's bucket fixture sets is what base.py makes of the AWS_* variables."""
    script = (
        "import django, json; django.setup()\n"
        "from django.conf import settings\n"
        "print(json.dumps(settings.STORAGES['default']))\n"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "prevent_cms.settings.production",
        "SECRET_KEY": "x" * 50,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "AWS_STORAGE_BUCKET_NAME": "prevent-files",
        "AWS_S3_ENDPOINT_URL": "https://s3.example.gov.uk",
        "AWS_S3_REGION_NAME": REGION,
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    storage = json.loads(result.stdout.strip().splitlines()[-1])
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert options["bucket_name"] == "prevent-files"
    assert options["endpoint_url"] == "https://s3.example.gov.uk"
    assert options["default_acl"] is None
    assert options["file_overwrite"] is False
    assert options["object_parameters"] == {"ServerSideEncryption": "AES256"}


def test_an_export_is_stored_encrypted_in_the_bucket_and_downloaded_only_through_the_app(
    world, client, bucket, settings, django_capture_on_commit_callbacks
):
    name, s3 = bucket
    officer = world.user(Role.PREVENT_OFFICER, agency=world.police_a)
    rf.submitted(world)
    with django_capture_on_commit_callbacks(execute=True):
        job = referral_services.referral_export_request(
            actor=officer, filters={}, reason="Quarterly return"
        )
    job.refresh_from_db()
    assert job.state == Job.State.DONE, job.error

    key = job.result.name
    stored = s3.get_object(Bucket=name, Key=key)
    assert stored["ServerSideEncryption"] == "AES256"
    content = stored["Body"].read()
    assert len(content.splitlines()) == 2, "a header and the one case"
    grants = s3.get_object_acl(Bucket=name, Key=key)["Grants"]
    assert all("URI" not in grant["Grantee"] for grant in grants), "no public or group grant"
    assert not Path(settings.MEDIA_ROOT).exists(), "nothing on the web host's disk"

    client.force_login(officer)
    url = reverse("job_download", args=[job.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content

    # Read-time authorisation still decides: without the role, no file, wherever it lives.
    RoleGrant.objects.filter(user=officer, role=Role.PREVENT_OFFICER).delete()
    assert client.get(url).status_code == 410


def test_the_retention_purge_deletes_the_object_from_the_bucket(
    world, bucket, django_capture_on_commit_callbacks
):
    name, s3 = bucket
    officer = world.user(Role.PREVENT_OFFICER, agency=world.police_a)
    rf.submitted(world)
    with django_capture_on_commit_callbacks(execute=True):
        job = referral_services.referral_export_request(
            actor=officer, filters={}, reason="Quarterly return"
        )
    job.refresh_from_db()
    key = job.result.name
    assert s3.list_objects_v2(Bucket=name)["KeyCount"] == 1
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - datetime.timedelta(days=30))
    retention_purge()
    assert s3.list_objects_v2(Bucket=name)["KeyCount"] == 0, key


def test_readyz_checks_the_bucket(client, bucket, settings):
    name, s3 = bucket
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    assert response.json()["checks"]["storage"] == "ok"
    s3.delete_bucket(Bucket=name)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["down"] == ["storage"]
    assert name not in response.content.decode()


# --- two web processes, one bucket ------------------------------------------------------


def start_web(env: dict, log_path: Path, *, workers: int = 1) -> tuple[subprocess.Popen, str]:
    """A gunicorn process under production settings, with the image's hooks
    (prevent_cms.gunicorn_conf); its base URL once it answers."""
    port = free_port()
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "prevent_cms.wsgi",
                "--config=python:prevent_cms.gunicorn_conf",
                f"--bind=127.0.0.1:{port}",
                f"--workers={workers}",
                "--timeout=120",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if requests.get(f"{base}/healthz", timeout=5, headers=PROXY).status_code == 200:
                return process, base
        except requests.RequestException:
            pass
        assert process.poll() is None, log_path.read_text()[-3000:]
        assert time.monotonic() < deadline, log_path.read_text()[-3000:]
        time.sleep(0.2)


PROXY = {"X-Forwarded-Proto": "https"}  # what the proxy in front sends


@pytest.mark.long
@pytest.mark.django_db(transaction=True)
def test_a_file_uploaded_through_one_web_process_is_downloaded_through_another(
    world, bucket, tmp_path
):
    name, s3 = bucket
    officer = world.user(Role.PREVENT_OFFICER, agency=world.police_a)
    stranger = world.user(Role.PREVENT_OFFICER, agency=world.police_c)
    referral = rf.police_assessment(world, officer=officer)
    storage = settings_storage_options()
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "PYTHONUNBUFFERED": "1",
        "DJANGO_SETTINGS_MODULE": "prevent_cms.settings.production",
        "SECRET_KEY": "two-web-processes-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": worker_database_url(),
        "AWS_STORAGE_BUCKET_NAME": name,
        "AWS_S3_ENDPOINT_URL": storage["endpoint_url"],
        "AWS_S3_REGION_NAME": REGION,
        "AWS_ACCESS_KEY_ID": CREDENTIALS["aws_access_key_id"],
        "AWS_SECRET_ACCESS_KEY": CREDENTIALS["aws_secret_access_key"],
        "MEDIA_ROOT": str(tmp_path / "no-files-here"),
    }
    token = {"Authorization": f"Token {Token.objects.create(user=officer).key}", **PROXY}
    other = {"Authorization": f"Token {Token.objects.create(user=stranger).key}", **PROXY}
    first, first_url = start_web(env, tmp_path / "web-1.log")
    try:
        second, second_url = start_web(env, tmp_path / "web-2.log")
        try:
            uploaded = requests.post(
                f"{first_url}/api/v1/referrals/{referral.pk}/attachments/",
                headers=token,
                files={"file": ("report.txt", b"Attendance fell in October.", "text/plain")},
                data={"description": "Attendance"},
                timeout=60,
            )
            assert uploaded.status_code == 201, uploaded.text
            path = urlsplit(uploaded.json()["download_url"]).path
            downloaded = requests.get(f"{second_url}{path}", headers=token, timeout=60)
            assert downloaded.status_code == 200, downloaded.text
            assert downloaded.content == b"Attendance fell in October."
            refused = requests.get(f"{second_url}{path}", headers=other, timeout=60)
            assert refused.status_code == 404
        finally:
            second.terminate()
            second.wait(timeout=30)
    finally:
        first.terminate()
        first.wait(timeout=30)
    keys = [item["Key"] for item in s3.list_objects_v2(Bucket=name)["Contents"]]
    assert len(keys) == 1
    assert s3.head_object(Bucket=name, Key=keys[0])["ServerSideEncryption"] == "AES256"
    assert not (tmp_path / "no-files-here").exists(), "nothing on either web host's disk"


# --- a referral from submission to a panel pack, through two web processes ----------------


def bucket_env(name: str) -> dict:
    storage = settings_storage_options()
    return {
        "AWS_STORAGE_BUCKET_NAME": name,
        "AWS_S3_ENDPOINT_URL": storage["endpoint_url"],
        "AWS_S3_REGION_NAME": REGION,
        "AWS_ACCESS_KEY_ID": CREDENTIALS["aws_access_key_id"],
        "AWS_SECRET_ACCESS_KEY": CREDENTIALS["aws_secret_access_key"],
    }


class Alternating:
    """Each request to the next web process in turn: nothing may depend on which one answers."""

    def __init__(self, bases: list[str]):
        self.bases, self.served = bases, []

    def __call__(self, method: str, path: str, user, **kwargs) -> requests.Response:
        base = self.bases[len(self.served) % len(self.bases)]
        self.served.append(base)
        token = Token.objects.get_or_create(user=user)[0].key
        headers = {"Authorization": f"Token {token}", **PROXY, **kwargs.pop("headers", {})}
        return requests.request(method, f"{base}{path}", headers=headers, timeout=120, **kwargs)


@pytest.mark.long
@pytest.mark.django_db(transaction=True)
def test_a_referral_goes_from_submission_to_a_panel_pack_through_two_web_processes(
    world,
    bucket,
    tmp_path,
    celery_worker_factory,  # noqa: F811 (the fixture imported above)
):
    """Two gunicorn processes and a Celery worker over one PostgreSQL, one Redis and one
    bucket, each request to the other process than the last: the referrer's draft and
    submission, the officer's triage and assessment, the chair's panel and agenda, the pack
    (made by the worker, into the bucket) and its download by a member."""
    from tests.channel.factories import channel_team
    from tests.referrals.factories import complete_form

    name, s3 = bucket
    team = channel_team(world)
    referrer = world.user(Role.REFERRER, agency=world.school_a)
    env = web_env(
        tmp_path,
        REDIS_URL=django_settings.REDIS_URL,
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        **bucket_env(name),
    )
    # The worker under the same production settings: the same bucket, at the same keys.
    celery_worker_factory(extra_env=env)
    first, first_url = start_web(env, tmp_path / "web-1.log")
    try:
        second, second_url = start_web(env, tmp_path / "web-2.log")
        try:
            call = Alternating([first_url, second_url])
            form = complete_form()
            form["subject"]["date_of_birth"] = form["subject"]["date_of_birth"].isoformat()
            made = call("POST", "/api/v1/referrals/", referrer, json=form)
            assert made.status_code == 201, made.text
            case = f"/api/v1/referrals/{made.json()['id']}/"
            steps = [
                (referrer, "transitions/submit/", {}, "received"),  # as the referrer sees it
                (team.officer, "transitions/start_assessment/", {}, "police_assessment"),
            ]
            for user, step, body, state in steps:
                answer = call("POST", case + step, user, json=body)
                assert answer.status_code == 200, answer.text
                assert answer.json()["state"] == state
            assessed = call(
                "POST",
                case + "assessment/",
                team.officer,
                json={
                    "deconfliction": "cleared",
                    "concern_type": "islamist",
                    "screening": "clear_vulnerability",
                    "vulnerabilities": ["Isolation"],
                    "risk_summary": "Concerning but no plans.",
                },
            )
            assert assessed.status_code == 201, assessed.text
            referred = call(
                "POST",
                case + "transitions/refer_to_channel/",
                team.officer,
                json={"rationale": "Needs multi-agency support."},
            )
            assert referred.json()["state"] == "channel_panel", referred.text
            panel = call(
                "POST",
                "/api/v1/channel/panels/",
                team.chair,
                json={
                    "date": timezone.localdate().isoformat(),
                    "location": "Civic Centre",
                    "members": [str(team.officer.pk), str(team.member.pk)],
                },
            )
            assert panel.status_code == 201, panel.text
            panel_path = f"/api/v1/channel/panels/{panel.json()['id']}/"
            agenda = call(
                "POST", panel_path + "agenda/", team.chair, json={"referral": made.json()["id"]}
            )
            assert agenda.status_code == 201, agenda.text
            started = call("POST", panel_path + "pack/", team.chair)
            assert started.status_code == 202, started.text
            job_path = urlsplit(started.headers["Location"]).path
            deadline = time.monotonic() + 180
            while (job := call("GET", job_path, team.chair).json())["state"] != "done":
                assert job["state"] in ("queued", "running"), job
                assert time.monotonic() < deadline, job
                time.sleep(0.5)
            pack = call("GET", panel_path + "pack/", team.member)
            assert pack.status_code == 200, pack.text[:300]
            assert pack.headers["Content-Type"] == "application/pdf"
            assert pack.content.startswith(b"%PDF")
        finally:
            second.terminate()
            second.wait(timeout=30)
    finally:
        first.terminate()
        first.wait(timeout=30)
    assert call.served.count(first_url) >= 5
    assert call.served.count(second_url) >= 5
    assert all(a != b for a, b in zip(call.served, call.served[1:], strict=False))
    keys = [item["Key"] for item in s3.list_objects_v2(Bucket=name).get("Contents", [])]
    assert keys, "the pack is in the bucket"
    assert not (tmp_path / "media").exists(), "nothing on either web host's disk"


# --- several gunicorn workers, one /metrics ------------------------------------------------


def web_env(tmp_path: Path, **extra: str) -> dict:
    """The environment of a web process under production settings over the test database."""
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "PYTHONUNBUFFERED": "1",
        "DJANGO_SETTINGS_MODULE": "prevent_cms.settings.production",
        "SECRET_KEY": "two-web-processes-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": worker_database_url(),
        "MEDIA_ROOT": str(tmp_path / "media"),
        **extra,
    }


def health_answers(base: str, token: str) -> float:
    """``/health/`` answers counted on one scrape of ``/metrics`` (not ``/healthz``, which
    ``start_web`` polls: a poll that timed out while the workers started may still count)."""
    from prometheus_client.parser import text_string_to_metric_families

    scrape = requests.get(
        f"{base}/metrics", headers={"Authorization": f"Bearer {token}", **PROXY}, timeout=30
    )
    assert scrape.status_code == 200, scrape.text[:300]
    total = 0.0
    for family in text_string_to_metric_families(scrape.text):
        for sample in family.samples:
            if (
                sample.name == "django_http_responses_total_by_status_view_method_total"
                and sample.labels.get("view") == "health"
            ):
                total += sample.value
    return total


@pytest.mark.long
@pytest.mark.django_db(transaction=True)
def test_metrics_sum_the_counts_of_every_gunicorn_worker(tmp_path):
    """PROMETHEUS_MULTIPROC_DIR: with two gunicorn workers, whichever answers the scrape
    counts both workers' requests; a previous run's files are cleared at start."""
    metrics_dir = tmp_path / "prometheus"
    metrics_dir.mkdir()
    (metrics_dir / "counter_999999.db").write_bytes(b"a previous run's counts")
    env = web_env(tmp_path, PROMETHEUS_MULTIPROC_DIR=str(metrics_dir), METRICS_TOKEN="scrape")
    web, base = start_web(env, tmp_path / "web.log", workers=2)
    try:
        assert not (metrics_dir / "counter_999999.db").exists()
        assert health_answers(base, "scrape") == 0

        def counting_processes() -> set[str]:
            return {path.stem.rsplit("_", 1)[1] for path in metrics_dir.glob("counter_*.db")}

        def health(_):
            return requests.get(f"{base}/health/", headers=PROXY, timeout=30).status_code

        sent = 0
        with ThreadPoolExecutor(max_workers=6) as pool:
            while sent < 600 and (sent == 0 or len(counting_processes()) < 2):
                assert set(pool.map(health, range(60))) == {200}
                sent += 60
        assert len(counting_processes()) == 2, "both workers answered some of the requests"
        # Each scrape, whichever worker answers it, sums both workers' counts.
        for _ in range(4):
            assert health_answers(base, "scrape") == sent
    finally:
        web.terminate()
        web.wait(timeout=30)
