"""Every API endpoint that starts a job answers the same way: 202, Location, id and url."""

import uuid

from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from prevent_cms.api.responses import job_accepted

from .source_tree import files_containing


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
    assert files_containing("HTTP_202_ACCEPTED") == ["prevent_cms/api/responses.py"]
