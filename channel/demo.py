"""Demo panels and cases through Channel (DESIGN.md §6). Used only by ``seed_demo``.

Every case reaches its state through the services, so the demo has real history and audit.
Idempotent: a local authority that already has a panel is left alone.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from referrals import services as referral_services
from referrals.models import ConcernType, Referral

from .models import AssessmentFactor, Panel
from .services.agenda import panel_add_case
from .services.assessments import vulnerability_assessment_record
from .services.consent import consent_record
from .services.interventions import intervention_add
from .services.panels import panel_action_add, panel_create, panel_hold
from .services.reviews import review_record

NAMES = [
    ("Callum", "Reid", 15, "male"),
    ("Amira", "Hassan", 19, "female"),
    ("Tyler", "Moss", 16, "male"),
    ("Kieran", "Walsh", 24, "male"),
    ("Leah", "Barnes", 17, "female"),
]


def _dob(age: int) -> datetime.date:
    today = timezone.localdate()
    return today.replace(year=today.year - age) - datetime.timedelta(days=40)


def _case(referrer, officer, index: int, key: str):
    first, last, age, gender = NAMES[index]
    concern = ConcernType.objects.filter(active=True).values_list("code", flat=True).first()
    referral = referral_services.referral_create_draft(
        actor=referrer,
        data={
            "subject": {
                "first_name": first,
                "last_name": f"{last}-{key.upper()}",
                "date_of_birth": _dob(age),
                "gender": gender,
                "address": f"{10 + index} High Street",
                "postcode": "NB1 2AB",
            },
            "concern_summary": "Sharing extremist material online and with peers.",
            "how_concern_arose": "Reported by a member of staff.",
            "concern_types": [concern] if concern else [],
            "immediate_risk": False,
            "subject_aware": True,
            "discussed_with_lead": True,
            "referrer_phone": "020 7946 0000",
        },
    )
    run = referral_services.referral_transition
    run(referral_id=referral.pk, name="submit", actor=referrer)
    run(referral_id=referral.pk, name="start_assessment", actor=officer)
    referral_services.assessment_record(
        referral_id=referral.pk,
        actor=officer,
        data={
            "deconfliction": "cleared",
            "concern_type": concern,
            "screening": "clear_vulnerability",
            "vulnerabilities": ["Isolation"],
            "risk_summary": "Persistent interest in extremist material; no live investigation.",
        },
    )
    return run(
        referral_id=referral.pk,
        name="refer_to_channel",
        actor=officer,
        payload={"rationale": "Clear vulnerability; multi-agency support needed."},
    )


def _ratings(value: str) -> dict:
    codes = AssessmentFactor.objects.filter(framework_id="vaf_2012").values_list("code", flat=True)
    return dict.fromkeys(codes, value)


@transaction.atomic
def _seed_authority(key: str, chair, officer, referrer, member=None, provider=None) -> None:
    if Panel.objects.filter(local_authority_id=chair.local_authority_id).exists():
        return
    today = timezone.localdate()
    cases = [_case(referrer, officer, i, key) for i in range(5)]
    waiting, adopted = cases[0], cases[1:]
    extra = [m.pk for m in (member, officer) if m]
    past = panel_create(
        actor=chair, date=today, location="Civic Centre, committee room 1", member_ids=extra
    )
    for referral in adopted:
        panel_add_case(panel_id=past.pk, actor=chair, referral_id=referral.pk)
        vulnerability_assessment_record(
            referral_id=referral.pk,
            actor=chair,
            framework="vaf_2012",
            ratings=_ratings("moderate"),
            summary="Vulnerable to online grooming; isolated at school.",
            management_plan="Mentoring, education support and family work.",
        )
    panel_hold(
        panel_id=past.pk,
        actor=chair,
        attended_ids=[chair.pk, officer.pk],
        minutes="All four cases adopted by consensus.",
    )
    panel_action_add(
        panel_id=past.pk, actor=chair, description="Contact the school DSL", owner_name="Chair"
    )
    run = referral_services.referral_transition
    for referral in adopted:
        run(referral_id=referral.pk, name="adopt", actor=chair, payload={"rationale": "Agreed."})
    for referral in adopted[1:]:
        referral.refresh_from_db()
        age = referral.subject.age_on(today)
        consent_record(
            referral_id=referral.pk,
            actor=chair,
            data={
                "given_by": "individual" if age >= 18 else "parent_or_guardian",
                "given_by_name": "" if age >= 18 else "Sam Parent",
                "relationship": "" if age >= 18 else "Mother",
                "date": today,
                "decision": "given",
                "child_view": "Willing to take part.",
                "how_sought": "Home visit by the Channel coordinator.",
            },
        )
        run(referral_id=referral.pk, name="consent_given", actor=chair)
        intervention_add(
            referral_id=referral.pk,
            actor=chair,
            data={
                "type": "ideological_mentoring",
                "provider": str(provider.pk) if provider else None,
                "provider_name": "" if provider else "Approved mentoring provider",
                "start_date": today,
                "hours": 20,
                "status": "active",
            },
        )
    for referral in adopted[2:]:
        review_record(
            referral_id=referral.pk,
            actor=chair,
            data={"kind": "panel", "date": today, "risk_change": "reduced", "recommend_exit": True},
        )
        run(referral_id=referral.pk, name="exit_channel", actor=chair)
    closing = adopted[3]
    # Its exit was a year ago (demo only), so both post-exit reviews are in their windows.
    Referral.objects.filter(pk=closing.pk).update(
        exited_at=timezone.now() - datetime.timedelta(days=366)
    )
    for kind in ("post_exit_6_months", "post_exit_12_months"):
        review_record(
            referral_id=closing.pk,
            actor=chair,
            data={"kind": kind, "date": today, "risk_change": "reduced"},
        )
    run(
        referral_id=closing.pk,
        name="close",
        actor=chair,
        payload={"reason": "reviews_complete", "rationale": "Both post-exit reviews done."},
    )
    # The first panel happened a month ago (demo only: services refuse past dates).
    Panel.objects.filter(pk=past.pk).update(date=today - datetime.timedelta(days=28))
    upcoming = panel_create(
        actor=chair,
        date=today + datetime.timedelta(days=7),
        location="Online (Teams link sent by e-mail)",
        member_ids=extra,
    )
    for referral in (waiting, adopted[1]):
        panel_add_case(panel_id=upcoming.pk, actor=chair, referral_id=referral.pk)


def seed_channel(people) -> None:
    officer = people.get("officer-a")
    if officer is None:
        return
    if "chair-a" in people and "referrer-a" in people:
        _seed_authority(
            "a",
            people["chair-a"],
            officer,
            people["referrer-a"],
            member=people.get("panel-member-a"),
            provider=people.get("provider-a"),
        )
    if "chair-b" in people and "referrer-b" in people:
        _seed_authority("b", people["chair-b"], officer, people["referrer-b"])
