"""Demo referrals for ``manage.py seed_demo``: every police-stage state, both boroughs.

Made through the services, so each case has the history and audit a real one would.
The people and places are invented; nothing here describes a real person.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from . import services
from .choices import Deconfliction, Gender, Screening
from .models import Referral

PEOPLE = {
    "a": [
        ("Jordan", "Testperson", datetime.date(2010, 4, 12), Gender.MALE, "extreme_right_wing"),
        ("Casey", "Exampleton", datetime.date(2008, 9, 3), Gender.FEMALE, "islamist"),
        ("Riley", "Fictional", datetime.date(2005, 1, 22), Gender.MALE, "school_massacre"),
        ("Morgan", "Madeup", datetime.date(1998, 6, 30), Gender.MALE, "conflicted"),
        ("Alex", "Placeholder", datetime.date(2011, 11, 8), Gender.NOT_KNOWN, "unclear"),
    ],
    "b": [
        ("Sam", "Sampleby", datetime.date(2009, 2, 14), Gender.MALE, "left_wing"),
        ("Taylor", "Notreal", datetime.date(2007, 7, 19), Gender.FEMALE, "extreme_right_wing"),
        ("Jamie", "Demoson", datetime.date(2003, 3, 5), Gender.MALE, "islamist"),
        ("Charlie", "Invented", datetime.date(1994, 12, 1), Gender.MALE, "other_ideology"),
        ("Robin", "Storybook", datetime.date(2012, 5, 27), Gender.OTHER, "unclear"),
    ],
}
CONCERNS = [
    (
        "Has been showing classmates videos glorifying a recent attack and repeating slogans.",
        "Two pupils told their form tutor after a lesson; the tutor saw the videos on a phone.",
    ),
    (
        "Spoke in class about wanting to travel to join an armed group overseas.",
        "Said during a discussion lesson; the class teacher wrote down the exact words.",
    ),
    (
        "Searching online for information about past school shootings and drawing weapons.",
        "Found on a school laptop by the IT technician during a routine filtering check.",
    ),
    (
        "Shares leaflets from a group that calls for violence against a minority.",
        "A youth worker saw the leaflets being handed out at a drop-in session.",
    ),
    (
        "Increasingly isolated and talking about hating everyone; no clear ideology.",
        "Raised by a parent at a pastoral meeting.",
    ),
]
STEPS = ["draft", "submitted", "police_assessment", "police_led", "closed"]


def _form(first, last, dob, gender, concern_code, index: int, key: str) -> dict:
    summary, arose = CONCERNS[index % len(CONCERNS)]
    return {
        "subject": {
            "first_name": first,
            "last_name": last,
            "date_of_birth": dob,
            "gender": gender,
            "address": f"{10 + index} Example Road, {'Northbridge' if key == 'a' else 'Southmere'}",
            "postcode": "ZZ9 9ZZ",
            "languages": ["English"],
        },
        "concern_summary": summary,
        "how_concern_arose": arose,
        "concern_types": [concern_code],
        "immediate_risk": index == 2,
        "subject_aware": False,
        "discussed_with_lead": True,
        "referrer_phone": "020 7946 0000",
        "referrer_relationship": "Teacher",
    }


@transaction.atomic
def seed_referrals(people) -> None:
    """Idempotent: does nothing once the demo referrers have any referral."""
    referrers = {"a": people.get("referrer-a"), "b": people.get("referrer-b")}
    officer = people.get("officer-a")
    if not all(referrers.values()) or officer is None:
        return
    if Referral.objects.filter(referrer__in=referrers.values()).exists():
        return
    for key, referrer in referrers.items():
        for index, (step, person) in enumerate(zip(STEPS, PEOPLE[key], strict=True)):
            referral = services.referral_create_draft(
                actor=referrer, data=_form(*person, index=index, key=key)
            )
            if step == "draft":
                continue
            services.referral_transition(referral_id=referral.pk, name="submit", actor=referrer)
            if step == "submitted":
                continue
            services.referral_transition(
                referral_id=referral.pk, name="start_assessment", actor=officer
            )
            services.assessment_record(
                referral_id=referral.pk,
                actor=officer,
                data={
                    "deconfliction": Deconfliction.CLEARED,
                    "concern_type": person[4],
                    "screening": Screening.CLEAR_VULNERABILITY,
                    "vulnerabilities": ["Isolation", "Low self-esteem"],
                    "risk_summary": "Persistent interest in extremist material; no known plans.",
                },
            )
            if step == "police_led":
                services.referral_transition(
                    referral_id=referral.pk,
                    name="police_led_partnership",
                    actor=officer,
                    payload={"rationale": "Already known to neighbourhood policing."},
                )
            elif step == "closed":
                services.referral_transition(
                    referral_id=referral.pk,
                    name="close",
                    actor=officer,
                    payload={
                        "reason": "signposted",
                        "signposted_to": "childrens_social_care",
                        "rationale": "Needs are safeguarding, not Prevent.",
                    },
                )
