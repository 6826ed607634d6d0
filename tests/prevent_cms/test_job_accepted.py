"""Every API endpoint that starts a job answers the same way: 202, Location, id and url."""

import uuid
from pathlib import Path

from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from prevent_cms.api.responses import job_accepted

ROOT = Path(__file__).resolve().parents[2]
SKIP = {".venv", "node_modules", "tests", "migrations", "static", ".git"}


def test_job_accepted_is_202_with_location_and_the_job():
    job_id = uuid.uuid4()
    request = Request(APIRequestFactory().post("/api/v1/anything/"))
    response = job_accepted(request, job_id)
    url = f"http://testserver/api/v1/jobs/{job_id}/"
    assert response.status_code == 202
    assert response["Location"] == url
    assert response.data == {"id": str(job_id), "url": url}


def test_only_job_accepted_answers_202():
    """A view that builds its own 202 would drift from the others (body, header, schema)."""
    answering = sorted(
        str(path.relative_to(ROOT))
        for path in ROOT.rglob("*.py")
        if not SKIP.intersection(path.relative_to(ROOT).parts)
        and "HTTP_202_ACCEPTED" in path.read_text()
    )
    assert answering == ["prevent_cms/api/responses.py"]
