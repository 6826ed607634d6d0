from django.urls import path

from . import (
    addenda,
    assign,
    break_glass,
    clocks,
    contact,
    exports,
    imports,
    notes,
    records,
    retention,
    views,
)

urlpatterns = [
    path("clocks/forecast/", clocks.ClockForecast.as_view(), name="clock-forecast"),
    path("referrals/", views.ReferralListCreate.as_view(), name="referral-list"),
    path("referrals/search/", views.ReferralSearch.as_view(), name="referral-search"),
    path("referrals/break-glass/", break_glass.BreakGlass.as_view(), name="referral-break-glass"),
    path("referrals/exports/", exports.CaseExportStart.as_view(), name="referral-export"),
    path(
        "referrals/subject-access/",
        exports.SubjectAccessExportStart.as_view(),
        name="referral-subject-access",
    ),
    path("referrals/retention/", retention.RetentionQueue.as_view(), name="referral-retention"),
    path(
        "referrals/retention/<uuid:pk>/delete/",
        retention.RetentionDelete.as_view(),
        name="referral-retention-delete",
    ),
    path("referrals/imports/", imports.ReferralImport.as_view(), name="referral-import"),
    path("referrals/<uuid:pk>/", views.ReferralDetail.as_view(), name="referral-detail"),
    path(
        "referrals/<uuid:pk>/referrer-contact/",
        contact.ReferralReferrerContact.as_view(),
        name="referral-referrer-contact",
    ),
    path(
        "referrals/<uuid:pk>/transitions/<str:name>/",
        views.ReferralTransitionRun.as_view(),
        name="referral-transition",
    ),
    path("referrals/<uuid:pk>/assign/", assign.ReferralAssign.as_view(), name="referral-assign"),
    path("referrals/<uuid:pk>/history/", views.ReferralHistory.as_view(), name="referral-history"),
    path(
        "referrals/<uuid:pk>/assessment/",
        views.ReferralAssessment.as_view(),
        name="referral-assessment",
    ),
    path(
        "referrals/<uuid:pk>/assessment/<uuid:assessment_pk>/",
        records.ReferralAssessmentDetail.as_view(),
        name="referral-assessment-detail",
    ),
    path(
        "referrals/<uuid:pk>/access-log/",
        views.ReferralAccessLog.as_view(),
        name="referral-access-log",
    ),
    path("referrals/<uuid:pk>/notes/", notes.CaseNotes.as_view(), name="referral-notes"),
    path(
        "referrals/<uuid:pk>/notes/<uuid:note_pk>/",
        records.CaseNoteDetail.as_view(),
        name="referral-note",
    ),
    path(
        "referrals/<uuid:pk>/attachments/",
        notes.CaseAttachments.as_view(),
        name="referral-attachments",
    ),
    path(
        "referrals/<uuid:pk>/attachments/<uuid:attachment_id>/",
        notes.CaseAttachmentDownload.as_view(),
        name="referral-attachment",
    ),
    # Issue 15: information a referrer adds once the referral is sent.
    path(
        "referrals/<uuid:pk>/addenda/",
        addenda.ReferralAddenda.as_view(),
        name="referral-addenda",
    ),
    path(
        "referrals/<uuid:pk>/addenda/<uuid:addendum_pk>/",
        addenda.ReferralAddendumDetail.as_view(),
        name="referral-addendum",
    ),
]
