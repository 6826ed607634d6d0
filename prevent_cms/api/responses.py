"""The one answer every API endpoint gives when it has started a background job."""

from django.urls import reverse
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response


class JobAcceptedSerializer(serializers.Serializer):
    """The body of a 202: the job's id and where to follow it (also in ``Location``)."""

    id = serializers.UUIDField()
    url = serializers.URLField()

    class Meta:
        ref_name = "JobStarted"  # the schema component's name since the API was published


def job_accepted(request: Request, job_id) -> Response:
    """202 Accepted, ``Location`` naming the job, and the same URL in the body.

    The client polls ``GET /api/v1/jobs/<id>/`` (``prevent_cms.api.jobs``) until it is done.
    """
    url = request.build_absolute_uri(reverse("api:job-detail", args=[job_id]))
    body = JobAcceptedSerializer({"id": job_id, "url": url}).data
    return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": url})


def created(request: Request, data, url_name: str, *args, headers=None) -> Response:
    """201 Created with ``Location`` naming the created record's own URL (``GET`` there reads
    it back), so a client need not build URLs itself (issue 23)."""
    location = request.build_absolute_uri(reverse(f"api:{url_name}", args=args))
    return Response(
        data, status=status.HTTP_201_CREATED, headers={**(headers or {}), "Location": location}
    )
