"""Helpers shared by the referral pages (and the API's downloads): the 409 page, the answers
as summary rows, and an attachment sent as a download."""

from __future__ import annotations

from django.http import FileResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .. import services
from ..choices import Gender, ReceivedVia, ReferrerSector, State
from ..forms.draft import (
    COMPLEX_NEEDS,
    INDICATORS,
    agency_line,
    household_line,
    sections_for,
)
from ..models import Attachment, ConcernType


def conflict(request, referral, message: str = ""):
    """The case moved on (another officer acted first, or the step no longer applies)."""
    return render(
        request, "referrals/conflict.html", {"referral": referral, "message": message}, status=409
    )


def attachment_file_response(attachment: Attachment) -> FileResponse:
    """An attachment as a download, never shown inline: a safe name (the case reference and
    the type sniffed at upload, ``services.attachment_download_name``), the stored type with
    ``nosniff``, and a sandbox in case a browser renders it anyway. The caller has checked the
    reader may have it and audited the read; the page and the API both answer with this."""
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=services.attachment_download_name(attachment=attachment),
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "no-store"
    return response


def attachment_add_from(form, *, referral, actor):
    """Add the file a valid ``AttachmentForm`` holds to the case (the officers' upload on the
    case page and the referrer's evidence on their draft go through the same service)."""
    return services.attachment_add(
        referral_id=referral.pk,
        actor=actor,
        upload=form.cleaned_data["file"],
        description=form.cleaned_data["description"],
    )


def _yes_no(value) -> str:
    if value is None:
        return ""
    return _("Yes") if value else _("No")


def _join(values) -> str:
    return "\n".join(str(v) for v in values or [])


def received_rows(referral, *, show_contact: bool) -> list[tuple[str, str]]:
    """How a referral recorded on someone's behalf arrived, and (for those who may see it)
    who raised it: their contact details are personal data of someone without an account."""
    rows = [
        (_("Received by"), ReceivedVia(referral.received_via).label),
        (
            _("Received"),
            date_format(timezone.localtime(referral.received_at), "j F Y, H:i")
            if referral.received_at
            else "",
        ),
        (_("Recorded by"), referral.keyed_by.display_name if referral.keyed_by else ""),
    ]
    if show_contact:
        sector = referral.contact_sector
        rows += [
            (_("Referrer’s name"), referral.contact_name),
            (_("Their organisation"), referral.contact_organisation),
            (_("Their sector"), ReferrerSector(sector).label if sector else ""),
            (_("Their phone number"), referral.contact_phone),
            (_("Their e-mail address"), referral.contact_email),
        ]
    return rows


def answer_sections(referral, *, show_contact: bool = True) -> list[dict]:
    """What the referrer submitted, section by section, as rows for a summary list.

    ``show_contact``: for a referral recorded on someone's behalf, whether the contact
    details of the person who raised it are shown (its recorder and full-access readers)."""
    s = referral.subject
    concern_labels = {c.code: str(c) for c in ConcernType.objects.all()}
    needs = dict(COMPLEX_NEEDS)
    indicators = dict(INDICATORS)
    rows = {
        "person": [
            (_("First name"), s.first_name),
            (_("Last name"), s.last_name),
            (_("Other names"), s.aliases),
            (
                _("Date of birth"),
                date_format(s.date_of_birth, "j F Y") if s.date_of_birth else "",
            ),
            (_("Place of birth"), s.place_of_birth),
            (_("Gender"), Gender(s.gender).label if s.gender else ""),
            (_("Nationality"), s.nationality),
            (_("Immigration status"), s.immigration_status),
            (_("First language"), s.first_language),
            (_("Needs an interpreter"), _yes_no(s.interpreter_needed)),
            (_("Other languages"), ", ".join(s.languages or [])),
            (_("Religion"), s.religion),
            (_("Ethnicity"), s.ethnicity),
        ],
        "address": [
            (_("Address"), s.address),
            (_("Postcode"), s.postcode),
            (_("Local authority"), str(referral.local_authority)),
            (_("Previous addresses"), s.previous_addresses),
            (_("Contact details"), s.contact_details),
            (_("Social media"), s.social_media),
        ],
        "household": [
            (
                _("Household members"),
                _join(household_line(m) for m in s.household_members or []),
            ),
            (_("Parents or carers support them"), _yes_no(referral.parental_support)),
            (_("About that support"), referral.parental_support_details),
        ],
        "education": [(_("Education or employment"), s.education_or_employment)],
        "concerns": [
            (_("Anyone in immediate danger"), _yes_no(referral.immediate_risk)),
            (_("What you are worried about"), referral.concern_summary),
            (_("How the concern arose"), referral.how_concern_arose),
            (_("Online activity"), referral.online_activity),
            (
                _("Signs seen"),
                _join(indicators.get(c, c) for c in referral.indicators or []),
            ),
            (
                _("Suggested type of concern"),
                _join(concern_labels.get(c, c) for c in referral.concern_types or []),
            ),
        ],
        "needs": [
            (_("Complex needs"), _join(needs.get(c, c) for c in referral.complex_needs or [])),
            (_("More about their needs"), s.additional_needs),
        ],
        "agencies": [
            (
                _("Other agencies involved"),
                _join(agency_line(a) for a in referral.other_agencies or []),
            ),
            (_("Other agencies consulted"), _yes_no(referral.agencies_consulted)),
            (_("Who was consulted"), referral.agencies_consulted_details),
        ],
        "questions": [
            (_("Discussed with your safeguarding lead"), _yes_no(referral.discussed_with_lead)),
            (_("The person or family knows"), _yes_no(referral.subject_aware)),
            (_("Action already taken"), referral.action_taken),
        ],
        "you": [
            (_("Your name"), referral.referrer.display_name),
            (_("Your organisation"), str(referral.referrer_agency)),
            (_("Your phone number"), referral.referrer_phone),
            (_("Your relationship to the person"), referral.referrer_relationship),
        ],
    }
    # Answers no page of the draft changes (the referrer's name and organisation come from
    # their account; how a referral was received is recorded once): shown without "Change",
    # so check-answers offers only the changes that can be made there (issue 19).
    fixed = {str(_("Your name")), str(_("Your organisation"))}
    sections = [
        {
            "slug": form.slug,
            "title": form.title,
            "change_url": reverse("referrals:section", args=[referral.pk, form.slug]),
            "rows": [
                {"key": key, "value": value, "fixed": str(key) in fixed}
                for key, value in rows[form.slug]
            ],
        }
        for form in sections_for(referral)
    ]
    fixed_received = {str(_("Received by")), str(_("Received")), str(_("Recorded by"))}
    if referral.on_behalf:
        sections.append(
            {
                "slug": "received",
                "title": _("How the referral was received"),
                # Who raised it may be corrected while it is a draft (issue 15).
                "change_url": reverse("referrals:contact", args=[referral.pk])
                if referral.state == State.DRAFT
                else "",
                "rows": [
                    {"key": key, "value": value, "fixed": str(key) in fixed_received}
                    for key, value in received_rows(referral, show_contact=show_contact)
                ],
            }
        )
    return sections
