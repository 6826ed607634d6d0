from django.urls import path

from . import views

urlpatterns = [
    path("boards/", views.BoardListCreate.as_view(), name="partnership-board-list"),
    path("boards/<uuid:pk>/", views.BoardDetail.as_view(), name="partnership-board-detail"),
    path(
        "boards/<uuid:pk>/members/", views.BoardMembers.as_view(), name="partnership-board-members"
    ),
    path("boards/<uuid:pk>/terms/", views.BoardTerms.as_view(), name="partnership-board-terms"),
    path("meetings/", views.MeetingListCreate.as_view(), name="partnership-meeting-list"),
    path("meetings/<uuid:pk>/", views.MeetingDetail.as_view(), name="partnership-meeting-detail"),
    path("meetings/<uuid:pk>/hold/", views.MeetingHold.as_view(), name="partnership-meeting-hold"),
    path(
        "meetings/<uuid:pk>/sign-off/",
        views.MeetingSignOff.as_view(),
        name="partnership-meeting-sign-off",
    ),
    path("actions/", views.ActionListCreate.as_view(), name="partnership-action-list"),
    path("actions/<uuid:pk>/", views.ActionDetail.as_view(), name="partnership-action-detail"),
    path(
        "risk-assessments/",
        views.RiskAssessmentListCreate.as_view(),
        name="partnership-risk-assessment-list",
    ),
    path(
        "risk-assessments/<uuid:pk>/",
        views.RiskAssessmentDetail.as_view(),
        name="partnership-risk-assessment-detail",
    ),
    path("ctlp-briefings/", views.CtlpListCreate.as_view(), name="partnership-ctlp-list"),
    path(
        "ctlp-briefings/<uuid:pk>/document/",
        views.CtlpDocument.as_view(),
        name="partnership-ctlp-document",
    ),
    path("plans/", views.PlanListCreate.as_view(), name="partnership-plan-list"),
    path("plans/<uuid:pk>/", views.PlanDetail.as_view(), name="partnership-plan-detail"),
    path("agreements/", views.AgreementListCreate.as_view(), name="partnership-agreement-list"),
    path(
        "agreements/<uuid:pk>/",
        views.AgreementDetail.as_view(),
        name="partnership-agreement-detail",
    ),
    path("disclosures/", views.DisclosureLedger.as_view(), name="partnership-disclosures"),
    path(
        "organisations/",
        views.OrganisationListCreate.as_view(),
        name="partnership-organisation-list",
    ),
    path(
        "organisations/<uuid:pk>/",
        views.OrganisationDetail.as_view(),
        name="partnership-organisation-detail",
    ),
    path(
        "organisations/<uuid:pk>/gap-analyses/",
        views.OrganisationGapAnalyses.as_view(),
        name="partnership-organisation-gap-analyses",
    ),
    path(
        "organisations/<uuid:pk>/support/",
        views.OrganisationSupport.as_view(),
        name="partnership-organisation-support",
    ),
    path(
        "due-diligence/",
        views.DueDiligenceListCreate.as_view(),
        name="partnership-due-diligence-list",
    ),
    path(
        "due-diligence/<uuid:pk>/",
        views.DueDiligenceDetail.as_view(),
        name="partnership-due-diligence-detail",
    ),
    path("projects/", views.ProjectListCreate.as_view(), name="partnership-project-list"),
    path("projects/<uuid:pk>/", views.ProjectDetail.as_view(), name="partnership-project-detail"),
    path("workshops/", views.WorkshopListCreate.as_view(), name="partnership-workshop-list"),
    path(
        "workshops/<uuid:pk>/", views.WorkshopDetail.as_view(), name="partnership-workshop-detail"
    ),
    path("complaints/", views.ComplaintListCreate.as_view(), name="partnership-complaint-list"),
    path(
        "complaints/<uuid:pk>/",
        views.ComplaintDetail.as_view(),
        name="partnership-complaint-detail",
    ),
    path(
        "mailing-contacts/",
        views.MailingContactListCreate.as_view(),
        name="partnership-mailing-contact-list",
    ),
    path(
        "mailing-contacts/<uuid:pk>/",
        views.MailingContactDetail.as_view(),
        name="partnership-mailing-contact-detail",
    ),
    path(
        "mailing-contacts/<uuid:pk>/remove/",
        views.MailingContactRemove.as_view(),
        name="partnership-mailing-contact-remove",
    ),
    path(
        "mailing-sends/",
        views.MailingSendListCreate.as_view(),
        name="partnership-mailing-send-list",
    ),
    path(
        "mailing-sends/<uuid:pk>/",
        views.MailingSendDetail.as_view(),
        name="partnership-mailing-send-detail",
    ),
]
