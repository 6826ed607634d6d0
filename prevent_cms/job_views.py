"""HTML pages for a background job: a status page and the download of its result."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import Gone
from .jobs import (
    ResultAccess,
    job_result_access,
    job_result_gone_message,
    job_result_open,
    job_result_retention,
    jobs_visible_to,
)
from .models import Job
from .registry import job_page


@login_required
def job_status(request, pk):
    job = get_object_or_404(jobs_visible_to(request.user), pk=pk)
    access = job_result_access(request.user, job)
    gone = access in (ResultAccess.PURGED, ResultAccess.WITHDRAWN)
    page = job_page(job)
    deleted_after = (page and page.deleted_after) or job.created_at + job_result_retention()
    return render(
        request,
        "jobs/status.html",
        {
            "job": job,
            "page": page,
            "deleted_after": timezone.localtime(deleted_after),
            "gone_message": job_result_gone_message(job, access) if gone else "",
        },
    )


def gone_page(request, *, title: str, message: str, next_step: str = ""):
    """410 Gone, as a GOV.UK page: the file existed and will not come back, and why."""
    return render(
        request,
        "errors/410.html",
        {"title": title, "message": message, "next_step": next_step},
        status=410,
    )


def result_file_response(job: Job, handle) -> FileResponse:
    return FileResponse(
        handle,
        as_attachment=True,
        filename=job.result_name,
        content_type=job.result_content_type or "application/octet-stream",
    )


@login_required
def job_download(request, pk):
    """The owner's result, if their current roles and scope still cover what it holds."""
    job = get_object_or_404(jobs_visible_to(request.user), pk=pk)
    access = job_result_access(request.user, job)
    if access == ResultAccess.NOT_READY:
        raise Http404
    if access != ResultAccess.READY:
        return gone_page(
            request,
            title=_("This file is no longer available"),
            message=job_result_gone_message(job, access),
        )
    try:
        handle = job_result_open(job=job, actor=request.user)
    except ObjectDoesNotExist:
        raise Http404 from None
    except Gone as refused:
        return gone_page(
            request, title=_("This file is no longer available"), message=refused.detail
        )
    return result_file_response(job, handle)
