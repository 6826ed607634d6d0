"""HTML pages for a background job: a status page and the download of its result."""

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render

from .audit import audit_record
from .jobs import jobs_visible_to
from .models import Job
from .registry import job_download_recorder


@login_required
def job_status(request, pk):
    job = get_object_or_404(jobs_visible_to(request.user), pk=pk)
    return render(request, "jobs/status.html", {"job": job})


@login_required
def job_download(request, pk):
    job = get_object_or_404(jobs_visible_to(request.user), pk=pk)
    if job.state != Job.State.DONE or not job.result:
        raise Http404
    with transaction.atomic():
        audit_record(actor=request.user, action="job.download", obj=job, detail={"kind": job.kind})
        record = job_download_recorder(job.kind)
        if record is not None:
            record(job=job, actor=request.user)
    return FileResponse(
        job.result.open("rb"),
        as_attachment=True,
        filename=job.result_name,
        content_type=job.result_content_type or "application/octet-stream",
    )
