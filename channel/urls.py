from django.urls import path

from .views import cases, notices, panels, timeline

app_name = "channel"

urlpatterns = [
    path("", panels.dashboard, name="dashboard"),
    path("panels/", panels.panel_list, name="panel_list"),
    path("panels/new/", panels.panel_create, name="panel_create"),
    path("panels/<uuid:pk>/", panels.panel_detail, name="panel"),
    path("panels/<uuid:pk>/agenda/", panels.panel_agenda_add, name="panel_agenda_add"),
    path("panels/<uuid:pk>/members/", panels.panel_members, name="panel_members"),
    path("panels/<uuid:pk>/items/<uuid:item_pk>/", panels.agenda_item, name="agenda_item"),
    path(
        "panels/<uuid:pk>/items/<uuid:item_pk>/decision/",
        panels.agenda_item_decision,
        name="agenda_item_decision",
    ),
    path("panels/<uuid:pk>/hold/", panels.panel_hold, name="panel_hold"),
    path("panels/<uuid:pk>/sign-off/", panels.panel_sign_off, name="panel_sign_off"),
    path("panels/<uuid:pk>/pack/", panels.panel_pack_download, name="panel_pack"),
    path("panels/<uuid:pk>/pack/generate/", panels.panel_pack_generate, name="panel_pack_generate"),
    path("panels/<uuid:pk>/copy-attestation/", panels.pack_attest, name="pack_attest"),
    path("packs/<uuid:pk>/", panels.pack_link, name="pack_link"),
    path(
        "panels/<uuid:pk>/cases/<uuid:referral_pk>/update/",
        panels.agency_update,
        name="agency_update",
    ),
    path("cases/", cases.case_list, name="case_list"),
    path("cases/<uuid:pk>/", cases.case_detail, name="case"),
    path("cases/<uuid:pk>/timeline/", timeline.case_timeline, name="timeline"),
    path("cases/<uuid:pk>/decisions/<slug:code>/", cases.decision, name="decision"),
    path("cases/<uuid:pk>/assessments/new/", cases.assessment_new, name="assessment_new"),
    path("cases/<uuid:pk>/consents/new/", cases.consent_new, name="consent_new"),
    path("cases/<uuid:pk>/interventions/new/", cases.intervention_new, name="intervention_new"),
    path("cases/<uuid:pk>/reviews/new/", cases.review_new, name="review_new"),
    path("cases/<uuid:pk>/support-plan/", cases.support_plan, name="support_plan"),
    path("interventions/", cases.provider_list, name="provider_list"),
    path("interventions/<uuid:pk>/sessions/new/", cases.session_new, name="session_new"),
    path("interventions/<uuid:pk>/brief/", cases.intervention_brief, name="intervention_brief"),
    path(
        "interventions/<uuid:pk>/brief/edit/",
        cases.intervention_brief_edit,
        name="intervention_brief_edit",
    ),
    # Issue 17: the chair moves a panel and asks agencies for updates before it.
    path("panels/<uuid:pk>/move/", notices.panel_move, name="panel_move"),
    path(
        "panels/<uuid:pk>/update-requests/",
        notices.panel_update_requests,
        name="panel_update_requests",
    ),
]
