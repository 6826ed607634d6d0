"""Consultations in a given state, recorded through the service (it is the only writer)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from consultations.models import Consultation
from consultations.services import consultation_record


def consultation_data(**overrides) -> dict:
    data = {
        "consulted_on": timezone.localdate() - datetime.timedelta(days=1),
        "asker_name": "Alex Morgan",
        "asker_organisation": "Northbridge Academy",
        "asker_sector": "education",
        "subject_initials": "JD",
        "subject_age_band": "11_to_15",
        "summary": "Qxconcern: a pupil shares extremist videos in a class chat.",
        "advice": "Talk to the DSL today; refer if it continues.",
        "outcome": "referral_advised",
        "referred_to": "",
    }
    return {**data, **overrides}


def consultation(officer, local_authority=None, **overrides) -> Consultation:
    return consultation_record(
        actor=officer,
        local_authority=local_authority or officer.local_authority,
        data=consultation_data(**overrides),
    )
