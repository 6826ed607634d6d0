"""The officer's "Upload a national referral form" page, and the marks the draft's pages
show on each answer read from it (issue 15)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from prevent_cms.errors import PayloadTooLarge, run_service

from ..forms.draft import FIELD_SECTION
from ..forms.imports import NationalFormUploadForm
from ..models import NationalFormImport
from ..national_form.layout import FIELD_LABELS
from ..national_form.services import referral_import_national_form
from ..permissions import may_record_on_behalf


def read_mark() -> str:
    return _("Read from the form — check")


@login_required
@require_http_methods(["GET", "POST"])
def import_form(request):
    """Upload the form a practitioner e-mailed; answer with the draft it made."""
    if not may_record_on_behalf(request.user):
        raise PermissionDenied
    form = NationalFormUploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                imported = run_service(
                    form,
                    lambda: referral_import_national_form(
                        actor=request.user,
                        upload=form.cleaned_data["file"],
                        referrer_sector=form.cleaned_data["referrer_sector"],
                    ),
                )
            except PayloadTooLarge as error:
                form.add_error("file", error.detail)
                status = 413
            else:
                if imported is not None:
                    return redirect("referrals:task_list", pk=imported.referral_id)
    return render(request, "referrals/import_form.html", {"form": form}, status=status)


def imported_from_form(referral) -> NationalFormImport | None:
    try:
        return referral.national_form_import
    except NationalFormImport.DoesNotExist:
        return None


def unchecked_fields(referral) -> set[str]:
    """The draft's answers read from the form in sections the officer has not yet saved:
    the ones still marked "read from the form — check"."""
    imported = imported_from_form(referral)
    if imported is None:
        return set()
    done = set(referral.sections_done or [])
    return {f for f in imported.read_fields if FIELD_SECTION.get(f) not in done}


def import_summary(referral) -> dict | None:
    """What the task list says about the form: each answer read, and each left unread with
    the reason an answer on the form was not read."""
    imported = imported_from_form(referral)
    if imported is None:
        return None
    return {
        "read": [str(FIELD_LABELS.get(f, f)) for f in imported.read_fields],
        "unread": [
            {"label": str(FIELD_LABELS.get(f, f)), "note": imported.notes.get(f, "")}
            for f in imported.unread_fields
        ],
    }


def mark_read_fields(form, referral) -> None:
    """Put the mark in the hint of every question whose answer came from the form."""
    for name in unchecked_fields(referral):
        field = form.fields.get(name)
        if field is not None:
            hint = f" {field.help_text}" if field.help_text else ""
            field.help_text = f"{read_mark()}.{hint}"


def _row_fields() -> dict[str, str]:
    """The check page's rows (``common.answer_sections``) by the draft field they show."""
    return {
        _("First name"): "first_name",
        _("Last name"): "last_name",
        _("Other names"): "aliases",
        _("Date of birth"): "date_of_birth",
        _("Gender"): "gender",
        _("Nationality"): "nationality",
        _("Languages"): "languages",
        _("Religion"): "religion",
        _("Ethnicity"): "ethnicity",
        _("Address"): "address",
        _("Postcode"): "postcode",
        _("Previous addresses"): "previous_addresses",
        _("Contact details"): "contact_details",
        _("Social media"): "social_media",
        _("Education or employment"): "education_or_employment",
        _("What you are worried about"): "concern_summary",
        _("How the concern arose"): "how_concern_arose",
        _("Online activity"): "online_activity",
        _("Suggested type of concern"): "concern_types",
        _("Complex needs"): "complex_needs",
        _("More about their needs"): "additional_needs",
        _("Other agencies involved"): "other_agencies",
        _("Discussed with your safeguarding lead"): "discussed_with_lead",
        _("The person or family knows"): "subject_aware",
        _("Action already taken"): "action_taken",
    }


def mark_read_rows(sections: list[dict], referral) -> list[dict]:
    """The check page's rows, each answer still to be checked marked ``read``."""
    unchecked = unchecked_fields(referral)
    if not unchecked:
        return sections
    fields = _row_fields()
    for section in sections:
        for row in section["rows"]:
            row["read"] = fields.get(str(row["key"])) in unchecked
    return sections
