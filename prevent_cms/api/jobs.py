from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.generics import RetrieveAPIView
from rest_framework.views import APIView

from ..errors import Gone
from ..job_views import result_file_response
from ..jobs import (
    ResultAccess,
    job_result_access,
    job_result_gone_message,
    job_result_open,
    jobs_visible_to,
)
from ..models import Job
from . import ErrorSerializer

# What job results are: packs and reports (PDF), exports and import reports (CSV), reports
# (XLSX); anything else is sent as octet-stream. Octet-stream is listed first: a generated
# client reads the body by the first media type it knows, and must read bytes, not text.
RESULT_MEDIA_TYPES = (
    "application/octet-stream",
    "application/pdf",
    "text/csv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)


class JobSerializer(serializers.ModelSerializer):
    result_url = serializers.SerializerMethodField()

    class Meta:
        model = Job
        fields = ["id", "kind", "state", "progress", "result_url", "error", "created_at"]

    def get_result_url(self, job: Job) -> str | None:
        """The API's own download (token or session), so a token client is never sent to
        the browser sign-in page; None until the job is done."""
        if job.state != Job.State.DONE:
            return None
        return self.context["request"].build_absolute_uri(reverse("api:job-result", args=[job.pk]))


@extend_schema(summary="A background job's state and progress", tags=["jobs"])
class JobDetail(RetrieveAPIView):
    serializer_class = JobSerializer

    def get_object(self):
        return get_object_or_404(jobs_visible_to(self.request.user), pk=self.kwargs["pk"])


@extend_schema(
    summary="Download a finished job's result (the caller's own jobs only)",
    description=(
        "The file a finished job made, for the person who started it, authorised now: if "
        "their roles or scope no longer cover what the file holds (a case has left the "
        "panel's agenda, a role was taken away) it answers 410, as it does once the retention "
        "purge has deleted the file. Audited like every download. Someone else's job: 404."
    ),
    tags=["jobs"],
    responses={
        **{(200, media_type): OpenApiTypes.BINARY for media_type in RESULT_MEDIA_TYPES},
        410: OpenApiResponse(
            ErrorSerializer,
            description="The file was deleted under the retention policy, or is withdrawn "
            "because your access has changed since it was made; `detail` says which.",
        ),
    },
)
class JobResult(APIView):
    def get(self, request, pk):
        job = get_object_or_404(jobs_visible_to(request.user), pk=pk)
        access = job_result_access(request.user, job)
        if access == ResultAccess.NOT_READY:
            raise exceptions.NotFound("Not found.")
        if access != ResultAccess.READY:
            raise Gone(job_result_gone_message(job, access))
        return result_file_response(job, job_result_open(job=job, actor=request.user))
