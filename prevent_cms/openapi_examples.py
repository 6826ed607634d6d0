"""A description and an example for the operations whose views do not give their own.

``prevent_cms.openapi.AutoSchema`` applies them by operation id, so that every operation of
the published schema tells an integrator what it is for and what its bodies look like
(issue 23). A view's own ``extend_schema(description=…, examples=…)`` always wins; a test
(tests/prevent_cms/test_openapi.py) fails if an operation has neither, or if an entry here
names an operation that no longer exists.

``request`` is an example request body; ``response`` an example of the success answer.
"""

from __future__ import annotations

CASE = "4f6d2a8e-3b1c-4d5e-9f70-1a2b3c4d5e6f"
PANEL = "8a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
OFFICER = "0b7c6d5e-4f3a-4b2c-9d1e-0f9a8b7c6d5e"
MEMBER = "1c8d7e6f-5a4b-4c3d-8e2f-1a0b9c8d7e6f"
PROVIDER = "2d9e8f7a-6b5c-4d4e-9f3a-2b1c0d9e8f7a"
JOB = "3e0f9a8b-7c6d-4e5f-8a4b-3c2d1e0f9a8b"
IMPORT = "5a2b3c4d-6e7f-4a8b-9c0d-1e2f3a4b5c6d"
AGENCY = "6b3c4d5e-7f8a-4b9c-8d1e-2f3a4b5c6d7e"
TODAY = "2026-12-07"
PERSON = {"id": OFFICER, "name": "Sam Officer"}


def _page(*rows) -> dict:
    return {"count": len(rows), "next": None, "previous": None, "results": list(rows)}


def _timeline_entry(kind, kind_label, time, summary, details):
    """One timeline entry as the API shows it, today at ``time``."""
    return {
        "kind": kind,
        "kind_label": kind_label,
        "at": TODAY + time,
        "who": PERSON,
        "summary": summary,
        "details": [{"label": label, "value": value} for label, value in details.items()],
    }


UPDATE_REQUEST = {
    "id": JOB,
    "panel": PANEL,
    "referral": CASE,
    "reference": "PRV-2026-000123",
    "agency": AGENCY,
    "agency_name": "Northbridge Academy",
    "requested_at": "2026-12-07T09:00:00Z",
    "owed": True,
}
TOKEN = {
    "key": "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b",
    "created": "2026-12-07T09:00:00Z",
    "expires": "2027-03-07T09:00:00Z",
}
PANEL_ROW = {
    "id": PANEL,
    "date": TODAY,
    "location": "Civic Centre, room 2",
    "local_authority": AGENCY,
    "chair": MEMBER,
    "members": [MEMBER, OFFICER],
    "attended": [],
    "held": False,
    "held_at": None,
    "quorum_met": None,
    "signed_off": False,
    "signed_off_at": None,
    "minutes": "",
    "agenda": [],
}
AGENDA_ITEM = {
    "id": JOB,
    "referral": CASE,
    "reference": "PRV-2026-000123",
    "kind": "new_case",
    "discussion": "",
    "decision": "",
    "rationale": "",
}
ACTION = {
    "id": JOB,
    "description": "Ask the school for attendance records.",
    "owner": OFFICER,
    "owner_name": "",
    "due_date": TODAY,
    "referral": CASE,
    "done": False,
}
INTERVENTION = {
    "id": JOB,
    "referral": CASE,
    "reference": "PRV-2026-000123",
    "type": "ideological_mentoring",
    "provider": PROVIDER,
    "provider_name": "",
    "start_date": TODAY,
    "hours": "12.0",
    "status": "active",
}
SESSION = {"id": JOB, "date": TODAY, "hours": "1.5", "notes": "", "created_at": TODAY + "T10:00Z"}
CONSENT_IN = {
    "given_by": "parent_or_guardian",
    "given_by_name": "Jo Parent",
    "relationship": "Mother",
    "date": TODAY,
    "decision": "given",
    "child_view": "Wants help with college.",
    "how_sought": "Met at home with the family.",
}
REVIEW_IN = {
    "kind": "panel",
    "date": TODAY,
    "risk_change": "reduced",
    "recommend_exit": False,
    "notes": "Attending every session.",
}
POLICE_ASSESSMENT = {
    "id": JOB,
    "officer": PERSON,
    "deconfliction": "cleared",
    "concern_type": "extreme_right_wing",
    "screening": "clear_vulnerability",
    "vulnerabilities": ["Isolation"],
    "risk_summary": "Persistent interest in extremist material; no plans found.",
    "created_at": TODAY + "T09:00:00Z",
}
VULNERABILITY_ASSESSMENT = {
    "id": JOB,
    "framework": "vaf_2012",
    "date": TODAY,
    "ratings": {"grievance_injustice": "moderate"},
    "evidence": {},
    "summary": "Engaged with the mentor.",
    "management_plan": "Weekly sessions.",
    "changes": [],
    "created_at": TODAY + "T09:00:00Z",
}
JOB_STARTED = {"id": JOB, "url": f"https://prevent.example.gov.uk/api/v1/jobs/{JOB}/"}
IMPORT_BATCH = {
    "id": IMPORT,
    "state": "ready",
    "create_count": 41,
    "update_count": 2,
    "reject_count": 1,
}

RECORD = {
    "person_name": "Jamie Teacher",
    "email": "jamie.teacher@northbridge-academy.example.org",
    "agency": AGENCY,
    "course": "awareness",
    "delivery_mode": "online",
    "completed_on": "2026-09-14",
}
RECORD_OUT = {
    **RECORD,
    "id": JOB,
    "agency_name": "Northbridge Academy",
    "department": "",
    "role": "",
    "frontline": True,
    "contractor": False,
    "elected_member": False,
    "course_title": "Prevent awareness",
    "expires_on": "2028-09-14",
    "status": "current",
    "has_certificate": False,
}

# Issue 21: partnership records.
_P_ID = "9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
_P_AT = "2026-12-07T10:00:00Z"
_P_BOARD = {
    "id": _P_ID,
    "url": f"https://prevent.example.gov.uk/api/v1/partnership/boards/{_P_ID}/",
    "name": "Northbridge Prevent Partnership Board",
    "kind": "prevent_board",
    "kind_label": "Prevent partnership board",
    "quorum": 3,
    "local_authorities": [AGENCY],
}
_P_MEMBER = {
    "id": JOB,
    "name": "Dr Asha Patel",
    "role_title": "Designated nurse, safeguarding",
    "agency": AGENCY,
    "organisation": "Northbridge Health",
    "is_chair": False,
    "joined_on": TODAY,
    "left_on": None,
}
_P_MEETING = {
    "id": _P_ID,
    "url": f"https://prevent.example.gov.uk/api/v1/partnership/meetings/{_P_ID}/",
    "board": _P_ID,
    "date": TODAY,
    "location": "Civic Centre, room 4",
    "agenda": "1. Risk assessment refresh",
    "attended": [JOB, MEMBER, OFFICER],
    "minutes": "Agreed the plan.",
    "held": True,
    "held_at": _P_AT,
    "quorum_met": True,
    "signed_off": False,
    "signed_off_at": None,
}
_P_ACTION = {
    "id": JOB,
    "url": f"https://prevent.example.gov.uk/api/v1/partnership/actions/{JOB}/",
    "description": "Refresh the venue-hire checks with the libraries service.",
    "owner": "Head of Libraries",
    "due_date": TODAY,
    "rag": "amber",
    "rag_label": "Amber",
    "completed_on": None,
    "board": _P_ID,
    "meeting": _P_ID,
    "plan": None,
    "risks": [],
}
_P_ASSESSMENT = {
    "id": _P_ID,
    "url": f"https://prevent.example.gov.uk/api/v1/partnership/risk-assessments/{_P_ID}/",
    "version": 2,
    "assessed_on": TODAY,
    "review_by": "2027-12-07",
    "summary": "Online radicalisation of young people remains the main risk.",
    "risks": [
        {
            "id": JOB,
            "title": "Online radicalisation of under-18s",
            "level": "high",
            "level_label": "High",
            "rank": 1,
        }
    ],
}
_P_CTLP = {
    "id": _P_ID,
    "title": "CTLP briefing, autumn",
    "received_on": TODAY,
    "marking": "OFFICIAL-SENSITIVE",
    "readers": [OFFICER, MEMBER],
    "size": 120331,
    "document_url": "https://prevent.example.gov.uk/api/v1/partnership/ctlp-briefings/"
    f"{_P_ID}/document/",
}
_P_PLAN = {
    "id": _P_ID,
    "url": f"https://prevent.example.gov.uk/api/v1/partnership/plans/{_P_ID}/",
    "title": "Prevent plan 2026/27",
    "starts_on": "2026-04-01",
    "ends_on": "2027-03-31",
}
_P_AGREEMENT = {
    "id": _P_ID,
    "url": f"https://prevent.example.gov.uk/api/v1/partnership/agreements/{_P_ID}/",
    "kind": "dsa",
    "kind_label": "Data-sharing agreement",
    "title": "Channel panel information sharing",
    "parties": [AGENCY],
    "purpose": "Sharing case information for Channel panels.",
    "lawful_basis": "public_task",
    "lawful_basis_label": "Public task (UK GDPR article 6(1)(e))",
    "starts_on": "2026-04-01",
    "review_on": "2027-04-01",
    "ends_on": None,
    "status": "active",
    "status_label": "In force",
}
_P_ORGANISATION = {
    "id": _P_ID,
    "url": f"https://prevent.example.gov.uk/api/v1/partnership/organisations/{_P_ID}/",
    "name": "Northbridge Youth Trust",
    "organisation_type": "charity",
    "organisation_type_label": "Charity",
    "charity_number": "1123456",
    "engaged_on": "2026-05-12",
}
_P_GAP_ANALYSIS = {
    "id": JOB,
    "assessed_on": TODAY,
    "items": [
        {
            "item": "safeguarding_policy",
            "item_label": "Safeguarding policy",
            "status": "met",
            "status_label": "Met",
        },
        {
            "item": "online_safety",
            "item_label": "Online safety",
            "status": "partly",
            "status_label": "Partly met",
        },
    ],
    "gaps": 1,
}
_P_GAP_ITEMS = {
    "safeguarding_policy": "met",
    "designated_lead": "met",
    "dbs_checks": "met",
    "online_safety": "partly",
    "whistleblowing": "not_met",
    "training": "met",
}
_P_SUPPORT = {
    "id": MEMBER,
    "date": TODAY,
    "description": "Reviewed the safeguarding policy with the trustees.",
}
_P_DUE_DILIGENCE = {
    "id": _P_ID,
    "url": f"https://prevent.example.gov.uk/api/v1/partnership/due-diligence/{_P_ID}/",
    "organisation": _P_ID,
    "route": "grant",
    "route_label": "Grant",
    "checked_on": TODAY,
    "checks": ["registration", "safeguarding", "extremism"],
    "check_labels": [
        "Registration (charity or company register)",
        "Safeguarding policy and practice",
        "Extremism and open-source checks",
    ],
    "outcome": "passed",
    "outcome_label": "Passed",
    "checked_by": "Sam Okafor, grants officer",
}
_P_PROJECT = {
    "id": _P_ID,
    "url": f"https://prevent.example.gov.uk/api/v1/partnership/projects/{_P_ID}/",
    "title": "Online resilience workshops for parents",
    "organisation": _P_ID,
    "organisation_name": "Northbridge Youth Trust",
    "funding_amount": "4500.00",
    "funding_source": "Home Office Prevent grant",
    "starts_on": "2026-09-01",
    "ends_on": "2027-03-31",
    "outputs": "Six sessions, 84 parents reached.",
}
_P_WORKSHOP = {
    "id": _P_ID,
    "url": f"https://prevent.example.gov.uk/api/v1/partnership/workshops/{_P_ID}/",
    "date": TODAY,
    "title": "Workshop to Raise Awareness of Prevent",
    "session_type": "workshop",
    "session_type_label": "Workshop",
    "audience": "Designated safeguarding leads of primary schools",
    "attendance": 23,
}

_P_COMPLAINT = {
    "id": _P_ID,
    "url": f"https://prevent.example.gov.uk/api/v1/partnership/complaints/{_P_ID}/",
    "received_on": TODAY,
    "channel": "email",
    "channel_label": "E-mail",
    "summary": "Training session for parents cancelled at short notice.",
    "signposted": True,
    "outcome": "",
    "outcome_label": "",
    "closed_on": None,
}
_P_CONTACT = {
    "id": _P_ID,
    "url": f"https://prevent.example.gov.uk/api/v1/partnership/mailing-contacts/{_P_ID}/",
    "email": "dsl@northbridge-primary.example.sch.uk",
    "status": "pending",
    "status_label": "Waiting for confirmation",
    "confirmed_at": None,
    "created_at": "2026-12-07T09:30:00Z",
}
_P_SEND = {
    "id": _P_ID,
    "url": f"https://prevent.example.gov.uk/api/v1/partnership/mailing-sends/{_P_ID}/",
    "sent_at": "2026-12-07T09:30:00Z",
    "delivered": 42,
}


OPERATIONS: dict[str, dict] = {
    "v1_auth_token_retrieve": {
        "description": "When the caller's token was issued and when it expires (the key is "
        "never shown again). 404 if they have none.",
        "response": {"created": TOKEN["created"], "expires": TOKEN["expires"]},
    },
    "v1_auth_token_create": {
        "description": "Issue the caller a token from a signed-in browser session (a token "
        "cannot issue another: renew it instead). Any earlier token stops working. The key is "
        "shown only in this answer.",
        "response": TOKEN,
    },
    "v1_auth_token_destroy": {
        "description": "The token stops working at once; issue a new one from a signed-in session.",
        "response": None,
    },
    "v1_auth_token_renew_create": {
        "description": "Answers a new key with a full lifetime; the old key stops working at "
        "once. An expired token cannot be renewed (401).",
        "response": TOKEN,
    },
    "v1_channel_assessment_frameworks_list": {
        "description": "The assessment frameworks a vulnerability assessment is recorded in "
        "(VAF 2012 ships): each factor's code, and the allowed rating values.",
        "response": _page(
            *[
                {
                    "code": "vaf_2012",
                    "title": "Vulnerability Assessment Framework (2012)",
                    "factors": [
                        {
                            "code": "grievance_injustice",
                            "dimension": "engagement",
                            "label": "Grievance and injustice",
                        }
                    ],
                    "ratings": ["not_present", "low", "moderate", "high"],
                }
            ]
        ),
    },
    "v1_channel_interventions_list": {
        "description": "Interventions the caller may see: an intervention provider exactly "
        "their own, a chair those of their local authority's cases. Audited as a read of each "
        "case listed.",
        "response": _page(INTERVENTION),
    },
    "v1_channel_interventions_sessions_list": {
        "description": "The sessions delivered for one intervention (its provider, or the "
        "case's chair). Audited as a read of the case.",
        "response": _page(SESSION),
    },
    "v1_channel_panels_agenda_retrieve": {
        "description": "One item of a panel's agenda (its members and chair), with its `ETag` "
        "for `If-Match` on the PATCH: where a new item's `Location` points. Audited as a read "
        "of the case.",
        "response": AGENDA_ITEM,
    },
    "v1_channel_interventions_sessions_retrieve": {
        "description": "One session delivered for an intervention (its provider, or the "
        "case's chair): where a new session's `Location` points. Audited as a read of the case.",
        "response": SESSION,
    },
    "v1_channel_panels_actions_retrieve": {
        "description": "One action agreed at a panel (its members and chair): where a new "
        "action's `Location` points. Audited as a read of its case, if it names one.",
        "response": ACTION,
    },
    "v1_channel_panels_agency_updates_retrieve": {
        "description": "One agency update given for a case on a panel's agenda (its members and "
        "chair): where a new update's `Location` points. Audited as a read of the case.",
        "response": {
            "id": JOB,
            "referral": CASE,
            "author": OFFICER,
            "text": "School reports attendance back to 95 %.",
            "created_at": TODAY + "T09:30:00Z",
        },
    },
    "v1_channel_interventions_sessions_create": {
        "description": "Record a session delivered (its provider, or the case's chair), while "
        "support is open.",
        "request": {"date": TODAY, "hours": "1.5", "notes": "Talked about college plans."},
        "response": SESSION,
    },
    "v1_channel_panels_list": {
        "description": "Panels of the caller's local authority (chairs), or that the caller is "
        "a member of, newest first. Audited as a read of each case on their agendas.",
        "response": _page(PANEL_ROW),
    },
    "v1_channel_panels_create": {
        "description": "Create a panel meeting (Channel chairs). The chair is always a member; "
        "`members` are user ids from `GET /api/v1/users/`.",
        "request": {"date": TODAY, "location": "Civic Centre, room 2", "members": [OFFICER]},
        "response": PANEL_ROW,
    },
    "channel_panel_detail": {
        "description": "One panel, with the agenda items the caller may see. Audited as a read "
        "of each case on it.",
        "response": PANEL_ROW,
    },
    "v1_channel_panels_actions_list": {
        "description": "The panel's actions, with their owners and due dates.",
        "response": _page(ACTION),
    },
    "v1_channel_panels_actions_create": {
        "description": "Add an action (the chair): an `owner` (user id) or an `owner_name`; a "
        "`referral` must be on this panel's agenda.",
        "request": {
            "description": "Ask the school for attendance records.",
            "owner": OFFICER,
            "due_date": TODAY,
            "referral": CASE,
        },
        "response": ACTION,
    },
    "v1_channel_panels_agency_updates_create": {
        "description": "A member agency's update on a case on the panel's agenda, for the meeting.",
        "request": {"referral": CASE, "text": "Attendance has improved since October."},
        "response": {"id": JOB},
    },
    "v1_channel_panels_agenda_list": {
        "description": "The agenda items the caller may see. Audited as a read of each case.",
        "response": _page(AGENDA_ITEM),
    },
    "v1_channel_panels_agenda_create": {
        "description": "Put a Channel case of your local authority on the agenda (the chair); "
        "its members may then see the case.",
        "request": {"referral": CASE, "kind": "new_case"},
        "response": AGENDA_ITEM,
    },
    "v1_channel_panels_agenda_partial_update": {
        "description": "Record what the panel discussed about a case, and its decision.",
        "request": {
            "discussion": "Agreed the vulnerability is clear.",
            "decision": "adopt",
            "rationale": "Support through a mentor is proportionate.",
        },
        "response": {**AGENDA_ITEM, "discussion": "Agreed the vulnerability is clear."},
    },
    "v1_channel_panels_agenda_destroy": {
        "description": "Take a case off a panel not yet held (the chair).",
        "response": None,
    },
    "v1_channel_panels_hold_create": {
        "description": "Mark the meeting held: who attended (quorate with the chair and a "
        "police officer) and the minutes; `sign_off` locks them.",
        "request": {"attended": [MEMBER, OFFICER], "minutes": "Agreed to adopt the case."},
        "response": {**PANEL_ROW, "held": True, "attended": [MEMBER, OFFICER]},
    },
    "v1_channel_panels_pack_retrieve": {
        "description": "The caller's own copy of the latest panel pack (PDF), for members of "
        "the panel. A copy works once, whichever door spends it (this one, the panel page, "
        "the e-mailed link, the pack job's result), and only until its link expires; then "
        "410 saying how to ask the chair for a new pack. Audited as a download.",
    },
    "v1_channel_panels_pack_create": {
        "description": "Start making the panel pack (the chair): 202 with the job to follow.",
        "response": JOB_STARTED,
    },
    "v1_channel_panels_sign_off_create": {
        "description": "Sign off and lock the minutes of a held panel (the chair).",
        "response": {**PANEL_ROW, "held": True, "signed_off": True},
    },
    "v1_jobs_retrieve": {
        "description": "A job the caller started: its `state` (`queued`, `running`, `done`, "
        "`failed`), `progress` (0–100) and, once done, `result_url`. Someone else's job "
        "answers 404.",
        "response": {
            "id": JOB,
            "kind": "compliance_export",
            "state": "done",
            "progress": 100,
            "result_url": f"https://prevent.example.gov.uk/api/v1/jobs/{JOB}/result/",
            "error": "",
            "created_at": TODAY + "T09:00:00Z",
        },
    },
    "v1_local_authorities_list": {
        "description": "Every local authority and its police force, for a referral's "
        "`subject.local_authority`. Open to everyone signed in.",
        "response": _page(
            *[{"id": AGENCY, "name": "Northbridge", "police_force": "Northbridge Police"}]
        ),
    },
    "v1_referrals_retrieve": {
        "response": {
            "view": "coarse",
            "id": CASE,
            "reference": "PRV-2026-000123",
            "state": "received",
            "status": "received",
            "available_transitions": [],
        }
    },
    "v1_referrals_list": {
        "response": _page(
            {
                "id": CASE,
                "reference": "PRV-2026-000123",
                "state": "police_assessment",
                "status": "being_assessed",
                "subject_name": "Alex Example",
                "created_at": TODAY + "T09:00:00Z",
                "submitted_at": TODAY + "T09:30:00Z",
            }
        )
    },
    "v1_referrals_create": {
        "description": "Start a referral as a draft (referrers and agency leads): every answer "
        "may be left for later, then sent with the `submit` transition, which checks the form "
        "is complete. Answers the coarse view (201). A Prevent officer or Prevent lead records "
        "a referral received another way on the referrer's behalf with `received_via` "
        "(`phone`, `email`, `national_form`, `letter`, `in_person`, `consultation`), "
        "`received_at` (now or earlier) and `referrer_contact` (`name`, `organisation`, "
        "`sector`, `phone`, `email`), all three together; a referrer who sends any of them "
        "gets 400 (their own referral is always `online`).",
    },
    "v1_referrals_partial_update": {
        "description": "Change answers of a draft (its referrer); send only what changes. "
        "`version` is the version you edited: 409 if someone saved the draft since. Answers "
        "the coarse view.",
    },
    "v1_referrals_assessment_create": {
        "description": "Record the police gateway assessment (the force's Prevent officer) "
        "while the case is in `police_assessment`: deconfliction, type of concern, screening, "
        "vulnerabilities and a risk summary.",
        "response": POLICE_ASSESSMENT,
    },
    "v1_referrals_access_log_list": {
        "response": _page(
            {"id": JOB, "at": TODAY + "T09:00:00Z", "actor": PERSON, "action": "view", "via": "api"}
        )
    },
    "v1_referrals_consents_list": {
        "description": "Consent decisions recorded for the case (its Channel chair and "
        "officer). Audited as a read.",
        "response": _page(*[{**CONSENT_IN, "id": JOB, "created_at": TODAY + "T09:00:00Z"}]),
    },
    "v1_referrals_consents_create": {
        "description": "Record consent given or declined (the chair), while the case awaits "
        "consent or is in support. Under 18 on the consent date: a parent or guardian, named, "
        "with their relationship; 18 or over: the person.",
        "request": CONSENT_IN,
        "response": {**CONSENT_IN, "id": JOB, "created_at": TODAY + "T09:00:00Z"},
    },
    "v1_referrals_history_list": {
        "response": _page(
            {
                "id": JOB,
                "name": "submit",
                "from_state": "draft",
                "to_state": "submitted",
                "actor": PERSON,
                "at": TODAY + "T09:00:00Z",
                "payload": {},
            }
        )
    },
    "v1_referrals_reviews_list": {
        "description": "Reviews of the case's support and its post-exit reviews. Audited as "
        "a read.",
        "response": _page(*[{**REVIEW_IN, "id": JOB, "created_at": TODAY + "T09:00:00Z"}]),
    },
    "v1_referrals_reviews_create": {
        "description": "Record a review (the chair): a panel review while in support, or a "
        "post-exit review at 6 or 12 months.",
        "request": REVIEW_IN,
        "response": {**REVIEW_IN, "id": JOB, "created_at": TODAY + "T09:00:00Z"},
    },
    "v1_referrals_support_plan_interventions_list": {
        "description": "The interventions of the case's support plan. Audited as a read.",
        "response": _page(INTERVENTION),
    },
    "v1_referrals_support_plan_interventions_create": {
        "description": "Add an intervention to the support plan (the chair): a `provider` "
        "(user id of an intervention provider of your local authority) or a `provider_name`.",
        "request": {
            "type": "ideological_mentoring",
            "provider": PROVIDER,
            "start_date": TODAY,
            "hours": "12.0",
            "status": "planned",
        },
        "response": INTERVENTION,
    },
    "v1_referrals_assessment_retrieve": {
        "description": "The police gateway assessment recorded for the case (those with full "
        "access to it): where a new assessment's `Location` points. Audited as a read.",
        "response": POLICE_ASSESSMENT,
    },
    "v1_referrals_notes_retrieve": {
        "description": "One case note (those with full access to the case): where a new "
        "note's `Location` points. Audited as a read.",
        "response": {
            "id": JOB,
            "kind": "fact",
            "text": "Mother confirmed he attends the youth club on Tuesdays.",
            "author": OFFICER,
            "author_name": "Sam Officer",
            "created_at": TODAY + "T09:00:00Z",
        },
    },
    "v1_referrals_consents_retrieve": {
        "description": "One consent decision recorded for the case (its chair): where a new "
        "decision's `Location` points. Audited as a read.",
        "response": {**CONSENT_IN, "id": JOB, "created_at": TODAY + "T09:00:00Z"},
    },
    "v1_referrals_reviews_retrieve": {
        "description": "One review of the case's support (its chair): where a new review's "
        "`Location` points. Audited as a read.",
        "response": {**REVIEW_IN, "id": JOB, "created_at": TODAY + "T09:00:00Z"},
    },
    "v1_referrals_vulnerability_assessments_retrieve": {
        "description": "One dated vulnerability assessment of the case (its chair): where a new "
        "assessment's `Location` points. Audited as a read.",
        "response": VULNERABILITY_ASSESSMENT,
    },
    "v1_referrals_attachments_create": {
        "description": "Upload a file to the case (multipart: `file` and an optional "
        "`description`), with the page's content checks: a PDF, Word, image or text file, not "
        "empty, within the size limit. Those with full access to the case.",
        "response": {
            "id": JOB,
            "description": "School attendance report",
            "content_type": "application/pdf",
            "size": 48213,
            "uploaded_by": OFFICER,
            "created_at": TODAY + "T09:00:00Z",
            "download_url": f"https://prevent.example.gov.uk/api/v1/referrals/{CASE}/"
            f"attachments/{JOB}/",
        },
    },
    "v1_referrals_vulnerability_assessments_list": {
        "description": "The case's dated vulnerability assessments, each with what changed "
        "since the one before. Audited as a read.",
        "response": _page(VULNERABILITY_ASSESSMENT),
    },
    "v1_referrals_vulnerability_assessments_create": {
        "description": "Record a dated assessment (the chair) with every one of the "
        "framework's 22 factors rated from its `ratings` (see "
        "`GET /api/v1/channel/assessment-frameworks/`).",
        "request": {
            "framework": "vaf_2012",
            "ratings": {"grievance_injustice": "moderate", "feeling_under_threat": "low"},
            "summary": "Engaged with the mentor.",
            "management_plan": "Weekly sessions.",
            "date": TODAY,
        },
    },
    "v1_reports_statistics_retrieve": {
        "response": {
            "scope": "local_authority",
            "local_authority": {"id": AGENCY, "name": "Northbridge"},
            "police_force": None,
            "period": {"from": "2026-04-01", "to": "2027-03-31"},
            "total_referrals": 42,
            "by_sector": {"education": 20, "health": None},
            "by_route": {"online": 30, "phone": 7, "national_form": 5, "email": None},
            "by_concern_type": {"extreme_right_wing": 12},
            "by_age_group": {"11_to_15": 17},
            "by_gender": {"male": 30},
            "outcomes": {"adopted": 8},
            "journey": {"referrals": 42, "discussed_at_panel": 11, "adopted": 8},
            "timeliness": {},
            "total_consultations": 9,
            "consultations_by_sector": {"education": 6, "health": None, "community": None},
            "consultations_by_outcome": {"referral_advised": 5, "no_referral_needed": None},
            "suppressed": True,
        }
    },
    "v1_training_compliance_list": {
        "description": "Training coverage of each agency of the caller's local authority: "
        "staff recorded, how many are current, and the percentage.",
        "response": _page(
            {"agency": "Northbridge Academy", "staff": 40, "current": 36, "percent_current": 90}
        ),
    },
    "v1_training_courses_list": {
        "description": "The Prevent training courses records are kept against, with how long "
        "each stays valid (by sector and role where that differs).",
        "response": _page(
            {
                "id": JOB,
                "code": "awareness",
                "title": "Prevent awareness",
                "valid_for_months": 24,
                "provider": "Home Office",
                "kind": "national",
                "requires": None,
                "counts_for_compliance": True,
                "overrides": [],
            }
        ),
    },
    "v1_training_imports_create": {
        "description": "Upload a CSV or XLSX of training records (`multipart/form-data`, field "
        "`file`; borough leads). It is checked row by row in the background: 202 with the job; "
        "then read the import and its rows, and confirm it.",
        "response": JOB_STARTED,
    },
    "v1_training_imports_retrieve": {
        "description": "An import's state (`checking`, `ready`, `importing`, `done`, …) and "
        "how many rows it would create, update or reject.",
        "response": IMPORT_BATCH,
    },
    "v1_training_imports_confirm_create": {
        "description": "Apply a checked import (`ready`): 202 with the job that writes the "
        "records. An import not ready answers 400.",
        "response": JOB_STARTED,
    },
    "v1_training_imports_rows_list": {
        "description": "The row-by-row check of an import: what each row would do and why a "
        "row is rejected.",
        "response": _page(
            {"number": 2, "action": "reject", "problems": ["Completed on: today or in the past"]}
        ),
    },
    "v1_training_records_list": {
        "description": "Staff training records the caller may see (their agency's, or their "
        "local authority's for a borough lead), with each record's expiry and status.",
        "response": _page(RECORD_OUT),
    },
    "v1_training_records_create": {
        "description": "Record a course someone completed (agency leads, for their own "
        "agency). `warnings` notes anything worth checking, such as a likely duplicate.",
        "request": RECORD,
        "response": {**RECORD_OUT, "warnings": []},
    },
    "v1_users_list": {
        "description": "People the caller may invite to a panel or allocate to an "
        "intervention: users of the caller's local authority and the Prevent officers of its "
        "force. `role` narrows them to one role.",
        "response": _page(
            {
                "id": OFFICER,
                "username": "sam.officer",
                "name": "Sam Officer",
                "agency": "Northbridge Police Prevent",
                "roles": ["prevent_officer"],
            }
        ),
    },
    # --- issue 16: the panel's decision on an agenda item (helper "decisions")
    "v1_channel_panels_items_decision_create": {
        "description": "Record the panel's decision on one agenda item (the chair, at a held "
        "panel whose minutes are not signed off): it runs the matching lifecycle step — "
        "`adopt` → adopt, `not_adopted` → close as not adopted (give `signposted_to`), `exit` "
        "→ exit_channel, `escalate_to_police` → escalate_to_police; `continue_support` and "
        "`defer` (offered to the next panel) run none. Answers the decision with the case's "
        "new `state`; 400 names what is missing (e.g. `vulnerability_assessment`), 409 once "
        "signed off, decided already or from a state the decision does not fit.",
        "request": {
            "decision": "not_adopted",
            "reached_by": "majority",
            "dissent": [{"agency": "Northbridge Police", "reason": "Wants a further month."}],
            "rationale": "No vulnerability to radicalisation; needs mental health support.",
            "signposted_to": "mental_health",
        },
        "response": {
            "id": IMPORT,
            "item": JOB,
            "referral": CASE,
            "state": "closed",
            "decision": "not_adopted",
            "reached_by": "majority",
            "dissent": [{"agency": "Northbridge Police", "reason": "Wants a further month."}],
            "rationale": "No vulnerability to radicalisation; needs mental health support.",
            "signposted_to": "mental_health",
            "transition": "close",
            "recorded_at": "2026-12-07T11:00:00Z",
        },
    },
    # Issue 16 (timeline): the case's one chronology.
    "v1_referrals_timeline_list": {
        "description": "The case's events, newest first, each showing only what the caller may "
        "see: full access (the case's Prevent officer or Channel chair) sees every kind; a panel "
        "member the panel's parts, never the police assessment; an intervention provider only "
        "their own interventions and sessions; a referrer the submission. `kind` narrows it "
        "(repeat it for several; an unknown kind is 400). 404 outside your scope. "
        "Audited as a read of the case.",
        "response": _page(
            _timeline_entry(
                "consent",
                "Consent",
                "T10:00:00Z",
                "Consent given",
                {"Date": "7 December 2026", "Given by": "The person"},
            ),
            _timeline_entry(
                "transition",
                "Decisions and changes of stage",
                "T09:00:00Z",
                "Adopt as a Channel case",
                {"From": "Channel panel", "To": "Awaiting consent"},
            ),
        ),
    },
    # Issue 17: the caller's own notifications.
    "v1_notifications_read_create": {
        "response": {
            "id": JOB,
            "kind": "entered_channel",
            "subject": "Case referred to Channel: PRV-2026-000123",
            "reference": "PRV-2026-000123",
            "url": f"https://prevent.example.gov.uk/channel/cases/{CASE}/",
            "created_at": "2026-12-07T09:00:00Z",
            "read": True,
            "read_at": "2026-12-07T09:05:00Z",
        },
    },
    "v1_notifications_list": {
        "response": _page(
            {
                "id": JOB,
                "kind": "entered_channel",
                "subject": "Case referred to Channel: PRV-2026-000123",
                "reference": "PRV-2026-000123",
                "url": f"https://prevent.example.gov.uk/channel/cases/{CASE}/",
                "created_at": "2026-12-07T09:00:00Z",
                "read": False,
                "read_at": None,
            }
        ),
    },
    "v1_me_notification_preferences_retrieve": {
        "response": {
            "receipt": "email",
            "new_referral": "email",
            "urgent_referral": "email",
            "pack_ready": "digest",
            "channel_reminder": "in_app",
        },
    },
    "v1_me_notification_preferences_update": {
        "response": {"pack_ready": "digest", "channel_reminder": "in_app"},
    },
    "v1_me_work_retrieve": {
        "response": {
            "date": TODAY,
            "count": 2,
            "items": [
                {
                    "kind": "clock_breached",
                    "section": "Time limits",
                    "label": "PRV-2026-000123: triage time limit passed on 4 December 2026",
                    "url": f"https://prevent.example.gov.uk/referrals/{CASE}/",
                    "count": 1,
                    "due": "2026-12-04",
                    "urgency": 0,
                    "reference": "PRV-2026-000123",
                },
                {
                    "kind": "triage_waiting",
                    "section": "Waiting for triage",
                    "label": "3 referrals waiting for triage",
                    "url": "https://prevent.example.gov.uk/referrals/queue/?state=submitted",
                    "count": 3,
                    "due": None,
                    "urgency": 50,
                    "reference": "",
                },
            ],
        },
    },
    "v1_clocks_forecast_list": {
        "response": _page(
            {
                "id": CASE,
                "reference": "PRV-2026-000123",
                "clock": "triage",
                "breaches_on": "2026-12-09",
                "assigned_to_me": True,
                "count": 1,
            }
        ),
    },
    # Issue 17: the chair moves a panel and asks agencies for updates before it.
    "v1_channel_panels_move_create": {
        "request": {"date": "2026-12-14", "location": "Civic Centre, room 3"},
        "response": {**PANEL_ROW, "date": "2026-12-14", "location": "Civic Centre, room 3"},
    },
    "v1_channel_panels_update_requests_list": {"response": _page(UPDATE_REQUEST)},
    "v1_channel_panels_update_requests_create": {
        "request": {"referral": CASE, "agency": AGENCY},
        "response": UPDATE_REQUEST,
    },
    "v1_channel_panels_update_requests_retrieve": {"response": UPDATE_REQUEST},
    # Issue 21: the borough lead's partnership records. 403 for anyone but a borough lead
    # on lists and creates; a record of another local authority is 404.
    **{
        f"v1_partnership_{name}": entry
        for name, entry in {
            "boards_list": {
                "description": "The partnership boards serving your local authority (its own "
                "and any shared with others, such as a county board). Borough leads only (403 "
                "for anyone else).",
                "response": _page(_P_BOARD),
            },
            "boards_create": {
                "description": "Set up a board for your local authority; name other local "
                "authorities of your force in `local_authorities` for a shared board. "
                "`quorum` is how many members must attend for a meeting to be quorate. "
                "Answers 201 with `Location`; send `Idempotency-Key` to retry safely. Audited.",
                "request": {
                    "name": "Northbridge Prevent Partnership Board",
                    "kind": "prevent_board",
                    "quorum": 3,
                    "local_authorities": [],
                },
                "response": {**_P_BOARD, "members": [], "terms": [], "created_at": _P_AT},
            },
            "boards_retrieve": {
                "description": "One board with its members (past members keep `left_on`) and "
                "every version of its terms of reference, newest first. 404 outside your area.",
                "response": {**_P_BOARD, "members": [_P_MEMBER], "terms": [], "created_at": _P_AT},
            },
            "boards_members_create": {
                "description": "Add a member: `agency` (an agency of your force area) or, for "
                "an organisation not in the system, `organisation_name`. Members need no "
                "account. Answers 201; `Location` is the board. Audited.",
                "request": {
                    "name": "Dr Asha Patel",
                    "role_title": "Designated nurse, safeguarding",
                    "agency": AGENCY,
                    "is_chair": False,
                },
                "response": _P_MEMBER,
            },
            "boards_terms_create": {
                "description": "`multipart/form-data` with `file` and `approved_on`: a new "
                "version of the terms of reference (earlier versions are kept). The file is "
                "checked as a case attachment is: under 10 MB, a PDF, image, Office or text "
                "file by its content. Answers 201; `Location` is the board. Audited.",
                "response": {
                    "id": JOB,
                    "version": 2,
                    "approved_on": TODAY,
                    "content_type": "application/pdf",
                    "size": 48213,
                    "created_at": _P_AT,
                },
            },
            "meetings_list": {
                "description": "Meetings of the boards serving your local authority, newest "
                "first; `board` narrows it to one board.",
                "response": _page(_P_MEETING),
            },
            "meetings_create": {
                "description": "Schedule a meeting of a board with its agenda. Answers 201 "
                "with `Location`; send `Idempotency-Key` to retry safely. Audited.",
                "request": {
                    "board": _P_ID,
                    "date": TODAY,
                    "location": "Civic Centre, room 4",
                    "agenda": "1. Risk assessment refresh\n2. Training offer",
                },
                "response": {**_P_MEETING, "held": False, "held_at": None, "attended": []},
            },
            "meetings_retrieve": {
                "description": "One meeting: agenda, who attended, minutes, quorum and whether "
                "its minutes are signed off. 404 outside your area.",
                "response": _P_MEETING,
            },
            "meetings_hold_create": {
                "description": "Record who attended (ids of the board's members) and the "
                "minutes, marking the meeting held; quorate when at least the board's quorum "
                "attended. May be sent again to correct it until the minutes are signed off "
                "(then 409). 400 before the meeting's date. Audited.",
                "request": {"attended": [JOB, MEMBER, OFFICER], "minutes": "Agreed the plan."},
                "response": _P_MEETING,
            },
            "meetings_sign_off_create": {
                "description": "Sign the minutes off: the meeting's attendance, minutes and "
                "actions can no longer change (409 if not held yet or already signed off; 400 "
                "with no minutes). Audited.",
                "response": {**_P_MEETING, "signed_off": True, "signed_off_at": _P_AT},
            },
            "actions_list": {
                "description": "Actions of your local authority and of the boards serving it, "
                "soonest due first; filter by `rag`, `meeting` or `plan`.",
                "response": _page(_P_ACTION),
            },
            "actions_create": {
                "description": "An action agreed at a `meeting` (not once its minutes are "
                "signed off) or of the partnership `plan`, or both; a plan's action may name "
                "the `risks` of the risk assessment it answers. Answers 201 with `Location`; "
                "send `Idempotency-Key` to retry safely. Audited.",
                "request": {
                    "description": "Refresh the venue-hire checks with the libraries service.",
                    "owner": "Head of Libraries",
                    "due_date": TODAY,
                    "rag": "amber",
                    "meeting": _P_ID,
                },
                "response": _P_ACTION,
            },
            "actions_retrieve": {
                "description": "One action with its owner, due date, RAG status and links. "
                "404 outside your area.",
                "response": _P_ACTION,
            },
            "actions_partial_update": {
                "description": "Change an action's owner, due date, RAG status or completion "
                "date (fields left out keep their values). Audited with the fields changed and "
                "the RAG moved from and to.",
                "request": {"rag": "red"},
                "response": {**_P_ACTION, "rag": "red", "rag_label": "Red"},
            },
            "risk_assessments_list": {
                "description": "Every version of your local authority's risk assessment, "
                "newest first, each with its ranked priorities.",
                "response": _page(_P_ASSESSMENT),
            },
            "risk_assessments_create": {
                "description": "Record a new version of the local risk assessment, informed by "
                "the police Counter-Terrorism Local Profile, with its ranked priorities "
                "(`risks`). Earlier versions are kept. Answers 201 with `Location`. Audited.",
                "request": {
                    "assessed_on": TODAY,
                    "review_by": "2027-12-07",
                    "summary": "Online radicalisation of young people remains the main risk.",
                    "risks": [{"title": "Online radicalisation of under-18s", "level": "high"}],
                },
                "response": _P_ASSESSMENT,
            },
            "risk_assessments_retrieve": {
                "description": "One version of the risk assessment with its priorities. 404 "
                "outside your area.",
                "response": _P_ASSESSMENT,
            },
            "ctlp_briefings_list": {
                "description": "The CTLP briefings that name you as a reader (OFFICIAL-"
                "SENSITIVE). Others, even borough leads, see none of them.",
                "response": _page(_P_CTLP),
            },
            "ctlp_briefings_create": {
                "description": "`multipart/form-data` with `title`, `received_on`, `file` (a "
                "PDF) and `readers` (user ids from `/api/v1/users/`, repeat the field): only "
                "they may read it, each downloading a copy stamped with their name. Answers "
                "201; `Location` is the document. Audited.",
                "response": _P_CTLP,
            },
            "ctlp_briefings_document_retrieve": {
                "description": "Your watermarked copy of a CTLP briefing as a PDF. 404 for "
                "anyone not named on it, exactly as for one that does not exist; both the read "
                "and a refusal are recorded in the audit trail.",
            },
            "plans_list": {
                "description": "Your local authority's partnership plans, newest first.",
                "response": _page(_P_PLAN),
            },
            "plans_create": {
                "description": "Start a partnership plan for a period; add its actions with "
                "`POST /api/v1/partnership/actions/` and `plan`. Answers 201 with `Location`.",
                "request": {
                    "title": "Prevent plan 2026/27",
                    "starts_on": "2026-04-01",
                    "ends_on": "2027-03-31",
                },
                "response": _P_PLAN,
            },
            "plans_retrieve": {
                "description": "One partnership plan. Its actions: "
                "`GET /api/v1/partnership/actions/?plan=`. 404 outside your area.",
                "response": _P_PLAN,
            },
            "agreements_list": {
                "description": "Your local authority's register of data-sharing agreements "
                "and DPIAs, soonest review first; `due_for_review=true` lists those not ended "
                "whose review date has come.",
                "response": _page(_P_AGREEMENT),
            },
            "agreements_create": {
                "description": "Register an agreement with partner agencies (`parties`, "
                "agencies of your force area): purpose, lawful basis, start, review and end "
                "dates, status. Disclosures to those agencies are recorded against it while "
                "it is current. Answers 201 with `Location`. Audited.",
                "request": {
                    "kind": "dsa",
                    "title": "Channel panel information sharing",
                    "parties": [AGENCY],
                    "purpose": "Sharing case information for Channel panels.",
                    "lawful_basis": "public_task",
                    "starts_on": "2026-04-01",
                    "review_on": "2027-04-01",
                    "status": "active",
                },
                "response": _P_AGREEMENT,
            },
            "agreements_retrieve": {
                "description": "One agreement. 404 outside your area.",
                "response": _P_AGREEMENT,
            },
            "agreements_partial_update": {
                "description": "Review, suspend, end or change an agreement (fields left out "
                "keep their values). Audited with the fields changed.",
                "request": {"review_on": "2028-04-01"},
                "response": {**_P_AGREEMENT, "review_on": "2028-04-01"},
            },
            "disclosures_list": {
                "description": "The disclosure ledger: how often case data went to each "
                "partner agency, under which agreement (null: none) and how, with the number "
                "of cases — counts only, never which cases. Filter by `from`, `to` (dates "
                "disclosed) and `agreement`.",
                "response": _page(
                    {
                        "agency": AGENCY,
                        "agency_name": "Northbridge Health",
                        "agreement": _P_ID,
                        "agreement_title": "Channel panel information sharing",
                        "kind": "panel_pack",
                        "disclosures": 3,
                        "cases": 7,
                    }
                ),
            },
            # Organisations and projects, training offer and outreach.
            "organisations_list": {
                "description": "Your local authority's register of voluntary, community, "
                "charity and faith organisations, by name; `organisation_type` narrows it.",
                "response": _page(_P_ORGANISATION),
            },
            "organisations_create": {
                "description": "Add an organisation to the register. Answers 201 with "
                "`Location`; send `Idempotency-Key` to retry safely. Audited.",
                "request": {
                    "name": "Northbridge Youth Trust",
                    "organisation_type": "charity",
                    "charity_number": "1123456",
                    "engaged_on": "2026-05-12",
                },
                "response": {**_P_ORGANISATION, "gap_analyses": [], "support": []},
            },
            "organisations_retrieve": {
                "description": "One organisation with its safeguarding-policy gap analyses "
                "(newest first, each checklist item with its status) and the support given. "
                "Its due-diligence checks and projects: `GET /api/v1/partnership/due-diligence/"
                "?organisation=` and `.../projects/?organisation=`. 404 outside your area.",
                "response": {
                    **_P_ORGANISATION,
                    "gap_analyses": [_P_GAP_ANALYSIS],
                    "support": [_P_SUPPORT],
                },
            },
            "organisations_gap_analyses_create": {
                "description": "Record a dated safeguarding-policy gap analysis: every "
                "checklist item (`safeguarding_policy`, `designated_lead`, `dbs_checks`, "
                "`online_safety`, `whistleblowing`, `training`) `met`, `partly` or `not_met`. "
                "Earlier analyses are kept. Answers 201; `Location` is the organisation. "
                "Audited.",
                "request": {"assessed_on": TODAY, "items": _P_GAP_ITEMS},
                "response": _P_GAP_ANALYSIS,
            },
            "organisations_support_create": {
                "description": "Record support given to the organisation on a day (today or "
                "earlier). Answers 201; `Location` is the organisation. Audited.",
                "request": {
                    "date": TODAY,
                    "description": "Reviewed the safeguarding policy with the trustees.",
                },
                "response": _P_SUPPORT,
            },
            "due_diligence_list": {
                "description": "Commissioning and grant due-diligence checks on organisations "
                "of your register, newest first; filter by `organisation`, `route` or "
                "`outcome`.",
                "response": _page(_P_DUE_DILIGENCE),
            },
            "due_diligence_create": {
                "description": "Record due diligence on an `organisation` of your register "
                "before funding it: the `route` (commissioning or grant), the `checks` done, "
                "the `outcome` and who checked. Answers 201 with `Location`. Audited.",
                "request": {
                    "organisation": _P_ID,
                    "route": "grant",
                    "checked_on": TODAY,
                    "checks": ["registration", "safeguarding", "extremism"],
                    "outcome": "passed",
                    "checked_by": "Sam Okafor, grants officer",
                },
                "response": _P_DUE_DILIGENCE,
            },
            "due_diligence_retrieve": {
                "description": "One due-diligence record. 404 outside your area.",
                "response": _P_DUE_DILIGENCE,
            },
            "projects_list": {
                "description": "Community projects delivered by organisations of your "
                "register, latest start first; `organisation` narrows it.",
                "response": _page(_P_PROJECT),
            },
            "projects_create": {
                "description": "Record a community project of an `organisation` of your "
                "register: funding in pounds (a decimal string) and its source, dates and "
                "outputs. Answers 201 with `Location`. Audited.",
                "request": {
                    "title": "Online resilience workshops for parents",
                    "organisation": _P_ID,
                    "funding_amount": "4500.00",
                    "funding_source": "Home Office Prevent grant",
                    "starts_on": "2026-09-01",
                    "ends_on": "2027-03-31",
                    "outputs": "Six sessions, 84 parents reached.",
                },
                "response": _P_PROJECT,
            },
            "projects_retrieve": {
                "description": "One community project. 404 outside your area.",
                "response": _P_PROJECT,
            },
            "workshops_list": {
                "description": "Workshops and briefings of your local authority's training "
                "offer and outreach, newest first; `session_type` narrows it.",
                "response": _page(_P_WORKSHOP),
            },
            "workshops_create": {
                "description": "Record a workshop or briefing once held (dated today or "
                "earlier) with its audience and how many attended. Answers 201 with "
                "`Location`. Audited.",
                "request": {
                    "date": TODAY,
                    "title": "Workshop to Raise Awareness of Prevent",
                    "session_type": "workshop",
                    "audience": "Designated safeguarding leads of primary schools",
                    "attendance": 23,
                },
                "response": _P_WORKSHOP,
            },
            "workshops_retrieve": {
                "description": "One workshop or briefing. 404 outside your area.",
                "response": _P_WORKSHOP,
            },
            # Complaints and the mailing list (partner21).
            "complaints_list": {
                "description": "Your local authority's log of complaints about the local "
                "Prevent delivery, newest first; `open`, `channel` and `outcome` narrow it. "
                "Complainants not satisfied locally can go to the Home Office's Prevent "
                "Standards and Compliance Unit (GOV.UK: “Make a complaint about Prevent”).",
                "response": _page(_P_COMPLAINT),
            },
            "complaints_create": {
                "description": "Log a complaint: the date received (today or earlier), how it "
                "came, a short `summary` of the delivery complained of (no names, case "
                "references or case details: a case reference is refused), whether the "
                "complainant was told of the national route, and, once closed, `outcome` and "
                "`closed_on`. Answers 201 with `Location`. Audited (codes only).",
                "request": {
                    "received_on": TODAY,
                    "channel": "email",
                    "summary": "Training session for parents cancelled at short notice.",
                    "signposted": True,
                },
                "response": _P_COMPLAINT,
            },
            "complaints_retrieve": {
                "description": "One complaint. 404 outside your area.",
                "response": _P_COMPLAINT,
            },
            "complaints_partial_update": {
                "description": "Record the outcome and close a complaint, or correct it "
                "(fields left out keep their values). Audited with the fields changed.",
                "request": {"outcome": "partly_upheld", "closed_on": TODAY},
                "response": {
                    **_P_COMPLAINT,
                    "outcome": "partly_upheld",
                    "outcome_label": "Partly upheld",
                    "closed_on": TODAY,
                },
            },
            "mailing_contacts_list": {
                "description": "Your local authority's outreach mailing list, every status: "
                "`pending` (sent a link to confirm), `confirmed` (on the list) or "
                "`unsubscribed`; `status` narrows it.",
                "response": _page(_P_CONTACT),
            },
            "mailing_contacts_create": {
                "description": "Add an address: it is e-mailed a one-time link (valid 7 days) "
                "and is on the list only once its owner follows it (double opt-in). An "
                "address waiting is sent a new link; one already on the list is 409. Answers "
                "201 with `Location`. Audited (ids only).",
                "request": {"email": "dsl@northbridge-primary.example.sch.uk"},
                "response": _P_CONTACT,
            },
            "mailing_contacts_retrieve": {
                "description": "One contact of your list. 404 outside your area.",
                "response": _P_CONTACT,
            },
            "mailing_contacts_remove_create": {
                "description": "Take a contact off the list at their request by other means "
                "(a contact unsubscribes themselves from the link in every e-mail). Audited.",
                "response": {
                    **_P_CONTACT,
                    "status": "unsubscribed",
                    "status_label": "Unsubscribed",
                },
            },
            "mailing_sends_list": {
                "description": "Reminders sent to your list, newest first, with how many "
                "contacts each has reached.",
                "response": _page(_P_SEND),
            },
            "mailing_sends_create": {
                "description": "Send your list the content-free reminder that workshops and "
                "briefings are coming up (whom to ask, nothing more), one e-mail per confirmed "
                "contact with their own unsubscribe link. 409 when nobody has confirmed yet. "
                "Answers 201 with `Location`. Audited.",
                "response": {**_P_SEND, "delivered": 0},
            },
            "mailing_sends_retrieve": {
                "description": "One reminder sent. 404 outside your area.",
                "response": _P_SEND,
            },
        }.items()
    },
}
