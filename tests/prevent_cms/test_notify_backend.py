"""The GOV.UK Notify e-mail backend (issue 17), against a local HTTP server that checks each
request it receives against Notify's documented API field by field (there is no Notify server
here): ``POST /v2/notifications/email``, a JWT bearer token signed with the API key's secret
whose ``iss`` is the service id and ``iat`` the time, and a JSON body of ``email_address``,
``template_id``, ``personalisation`` and ``reference``. The personalisation carries only the
reference and the link."""

import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from django.core.mail import get_connection

from prevent_cms.models import Notification
from prevent_cms.notifications import Kind, notification_send, notification_send_external
from tests.referrals import factories as rf

SERVICE_ID = str(uuid.uuid4())
SECRET = str(uuid.uuid4())
API_KEY = f"prevent_test-{SERVICE_ID}-{SECRET}"
RECEIPT_TEMPLATE = str(uuid.uuid4())
DEFAULT_TEMPLATE = str(uuid.uuid4())


class FakeNotify(BaseHTTPRequestHandler):
    """Answers as Notify does, and keeps every request (and any breach of the contract)."""

    received: list
    problems: list

    def log_message(self, *args):  # keep the test output quiet
        pass

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        raw = self.rfile.read(length)
        problems = self.server.problems  # type: ignore[attr-defined]
        if self.path != "/v2/notifications/email":
            problems.append(f"path {self.path}")
        if not self.headers.get("Content-Type", "").startswith("application/json"):
            problems.append("content type")
        scheme, _, token = self.headers.get("Authorization", "").partition(" ")
        if scheme != "Bearer":
            problems.append("not a bearer token")
        try:
            claims = jwt.decode(token, SECRET, algorithms=["HS256"])
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as error:
            problems.append(f"token: {error}")
            claims, header = {}, {}
        if header.get("alg") != "HS256" or header.get("typ") != "JWT":
            problems.append(f"token header {header}")
        if claims.get("iss") != SERVICE_ID:
            problems.append("iss is not the service id")
        if not isinstance(claims.get("iat"), int) or abs(claims["iat"] - time.time()) > 30:
            problems.append("iat is not now")
        body = json.loads(raw)
        allowed = {"email_address", "template_id", "personalisation", "reference"}
        if not {"email_address", "template_id"} <= set(body) <= allowed:
            problems.append(f"body fields {sorted(body)}")
        self.server.received.append(body)  # type: ignore[attr-defined]
        answer = {
            "id": str(uuid.uuid4()),
            "reference": body.get("reference"),
            "content": {"subject": "s", "body": "b", "from_email": "noreply@example.gov.uk"},
            "uri": f"/v2/notifications/{uuid.uuid4()}",
            "template": {"id": body.get("template_id"), "version": 1, "uri": "/v2/template"},
        }
        data = json.dumps(answer).encode()
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def notify(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeNotify)
    server.received = []  # type: ignore[attr-defined]
    server.problems = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.EMAIL_BACKEND = "prevent_cms.notify.NotifyEmailBackend"
    settings.NOTIFY_API_KEY = API_KEY
    settings.NOTIFY_BASE_URL = f"http://127.0.0.1:{server.server_address[1]}"
    settings.NOTIFY_TEMPLATES = {"receipt": RECEIPT_TEMPLATE, "default": DEFAULT_TEMPLATE}
    settings.SITE_URL = "https://prevent.example.gov.uk"
    yield server
    server.shutdown()
    server.server_close()


def test_smtp_stays_the_default_backend():
    from prevent_cms.settings import base

    assert base.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"


def test_each_recipient_gets_one_request_from_the_kinds_template(notify, world):
    referrer = rf.referrer_for(world)
    colleague = rf.referrer_for(world)
    referral = rf.SubmittedFactory(referrer=referrer)
    sent = notification_send(
        kind=Kind.RECEIPT,
        recipients=[referrer, colleague],
        subject=f"Referral received: {referral.reference}",
        body=f"Your referral {referral.reference} was received.",
        path=f"/referrals/{referral.pk}/",
        reference=referral.reference,
        key="receipt-test",
    )
    assert sent == 1
    assert notify.problems == []
    link = f"https://prevent.example.gov.uk/referrals/{referral.pk}/"
    assert sorted(notify.received, key=lambda body: body["email_address"]) == sorted(
        [
            {
                "email_address": person.email,
                "template_id": RECEIPT_TEMPLATE,
                "personalisation": {"reference": referral.reference, "link": link},
                "reference": referral.reference,
            }
            for person in (referrer, colleague)
        ],
        key=lambda body: body["email_address"],
    )
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 2
    # Only the reference and the link: no name, no subject or body text reaches Notify.
    for body in notify.received:
        text = json.dumps(body)
        for name in (referrer.first_name, referrer.last_name, referral.subject.last_name):
            assert name not in text


def test_kinds_without_their_own_template_use_the_default(notify):
    sent = notification_send_external(
        kind=Kind.COUNCIL_COPY,
        addresses=["mash@council.example.gov.uk"],
        subject="New referral in your area",
        body="A referral was made in your area.",
        reference="PRV-2026-000001",
    )
    assert sent == 1
    assert notify.problems == []
    (body,) = notify.received
    assert body == {
        "email_address": "mash@council.example.gov.uk",
        "template_id": DEFAULT_TEMPLATE,
        "personalisation": {
            "reference": "PRV-2026-000001",
            "link": "https://prevent.example.gov.uk/",
        },
        "reference": "PRV-2026-000001",
    }


def test_a_refusal_raises_unless_told_to_fail_silently(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Refuses)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        settings.NOTIFY_API_KEY = API_KEY
        settings.NOTIFY_BASE_URL = f"http://127.0.0.1:{server.server_address[1]}"
        settings.NOTIFY_TEMPLATES = {"default": DEFAULT_TEMPLATE}
        from django.core.mail import EmailMessage
        from notifications_python_client.errors import HTTPError

        message = EmailMessage("s", "b", None, ["someone@example.gov.uk"])
        backend = "prevent_cms.notify.NotifyEmailBackend"
        with pytest.raises(HTTPError):
            get_connection(backend).send_messages([message])
        assert get_connection(backend, fail_silently=True).send_messages([message]) == 0
    finally:
        server.shutdown()
        server.server_close()


class _Refuses(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        data = json.dumps(
            {"status_code": 400, "errors": [{"error": "BadRequestError", "message": "x"}]}
        ).encode()
        self.send_response(400)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
