from django.urls import path

from .views import agreements, boards, organisations, risk

app_name = "partnership"

urlpatterns = [
    path("", boards.home, name="home"),
    path("boards/new/", boards.board_new, name="board_new"),
    path("boards/<uuid:pk>/", boards.board_detail, name="board"),
    path("boards/<uuid:pk>/members/new/", boards.member_new, name="member_new"),
    path("boards/<uuid:pk>/terms/new/", boards.terms_new, name="terms_new"),
    path("boards/<uuid:pk>/meetings/new/", boards.meeting_new, name="meeting_new"),
    path("terms/<uuid:pk>/", boards.terms_download, name="terms_download"),
    path("meetings/<uuid:pk>/", boards.meeting_detail, name="meeting"),
    path("meetings/<uuid:pk>/hold/", boards.meeting_hold, name="meeting_hold"),
    path("meetings/<uuid:pk>/sign-off/", boards.meeting_sign_off, name="meeting_sign_off"),
    path("actions/new/", boards.action_new, name="action_new"),
    path("actions/<uuid:pk>/", boards.action_edit, name="action_edit"),
    path("risk-assessments/new/", risk.assessment_new, name="assessment_new"),
    path("risk-assessments/<uuid:pk>/", risk.assessment_detail, name="assessment"),
    path("ctlp-briefings/new/", risk.ctlp_new, name="ctlp_new"),
    path("ctlp-briefings/<uuid:pk>/", risk.ctlp_download, name="ctlp_download"),
    path("plans/new/", risk.plan_new, name="plan_new"),
    path("plans/<uuid:pk>/", risk.plan_detail, name="plan"),
    path("agreements/", agreements.agreements, name="agreements"),
    path("agreements/new/", agreements.agreement_new, name="agreement_new"),
    path("agreements/<uuid:pk>/", agreements.agreement_edit, name="agreement_edit"),
    path("agreements/policy/", agreements.disclosure_policy, name="disclosure_policy"),
    path("disclosures/", agreements.ledger, name="ledger"),
    path("organisations/", organisations.organisations, name="organisations"),
    path("organisations/new/", organisations.organisation_new, name="organisation_new"),
    path("organisations/<uuid:pk>/", organisations.organisation_detail, name="organisation"),
    path(
        "organisations/<uuid:pk>/gap-analyses/new/",
        organisations.gap_analysis_new,
        name="gap_analysis_new",
    ),
    path("organisations/<uuid:pk>/support/new/", organisations.support_new, name="support_new"),
    path(
        "organisations/<uuid:pk>/due-diligence/new/",
        organisations.due_diligence_new,
        name="due_diligence_new",
    ),
    path("projects/", organisations.projects, name="projects"),
    path("projects/new/", organisations.project_new, name="project_new"),
    path("workshops/", organisations.workshops, name="workshops"),
    path("workshops/new/", organisations.workshop_new, name="workshop_new"),
]
