"""The auditor's page: a system administrator asks for the audit trail of one case or person.

The export runs as a background job (``prevent_cms.audit_export``); asking is audited with
the reason given, and so is the finished export and its download.
"""

from __future__ import annotations

import uuid

from django import forms
from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from accounts.models import Role, User

from .audit_export import audit_export_request, audit_export_user_request
from .errors import run_service

CASE_TYPE = "referrals.referral"


class AuditExportForm(forms.Form):
    what = forms.ChoiceField(
        label=_("Export the audit trail of"),
        choices=[("case", _("One case")), ("user", _("One person"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Select a case or a person")},
    )
    case_id = forms.CharField(
        label=_("Case reference"),
        required=False,
        max_length=40,
        help_text=_("As on the case page, like PRV-2026-012345 (or the id in its address)"),
    )
    username = forms.CharField(label=_("Username"), max_length=150, required=False)
    reason = forms.CharField(
        label=_("Why is this export needed?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason for this export")},
    )

    def clean(self):
        data = super().clean()
        if data.get("what") == "case":
            data["case_id"] = self._case_id(data.get("case_id") or "")
        if data.get("what") == "user":
            user = User.objects.filter(username=data.get("username") or "").first()
            if user is None:
                self.add_error("username", _("There is no one with that username"))
            data["user"] = user
        return data

    def _case_id(self, typed: str) -> str:
        """The case's id from its reference (what people read) or its id (in its address);
        a case since deleted is still found by its id, as its audit trail outlives it."""
        typed = typed.strip()
        if not typed:
            self.add_error("case_id", _("Enter the case reference"))
            return ""
        try:
            return str(uuid.UUID(typed))
        except ValueError:
            pass
        referral = apps.get_model("referrals", "Referral")
        found = referral.objects.filter(reference__iexact=typed).values_list("pk", flat=True)
        if not found:
            self.add_error(
                "case_id", _("There is no case with that reference, like PRV-2026-012345")
            )
            return ""
        return str(found[0])


@login_required
@require_http_methods(["GET", "POST"])
def audit_export(request):
    if not request.user.has_role(Role.SYSTEM_ADMIN):
        raise PermissionDenied
    form = AuditExportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["what"] == "case":
            job = run_service(
                form,
                lambda: audit_export_request(
                    actor=request.user,
                    object_type=CASE_TYPE,
                    object_id=str(data["case_id"]),
                    reason=data["reason"],
                ),
            )
        else:
            job = run_service(
                form,
                lambda: audit_export_user_request(
                    actor=request.user, user_id=data["user"].pk, reason=data["reason"]
                ),
            )
        if job is not None:
            return redirect("job_status", pk=job.pk)
    return render(request, "audit/export.html", {"form": form})
