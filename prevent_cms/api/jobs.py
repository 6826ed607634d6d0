from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import RetrieveAPIView

from ..jobs import jobs_visible_to
from ..models import Job


class JobSerializer(serializers.ModelSerializer):
    result_url = serializers.SerializerMethodField()

    class Meta:
        model = Job
        fields = ["id", "kind", "state", "progress", "result_url", "error", "created_at"]

    def get_result_url(self, job: Job) -> str | None:
        if job.state != Job.State.DONE:
            return None
        return self.context["request"].build_absolute_uri(reverse("job_download", args=[job.pk]))


@extend_schema(summary="A background job's state and progress", tags=["jobs"])
class JobDetail(RetrieveAPIView):
    serializer_class = JobSerializer

    def get_object(self):
        return get_object_or_404(jobs_visible_to(self.request.user), pk=self.kwargs["pk"])
