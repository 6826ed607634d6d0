"""Channel endpoints under a case: include at /api/v1/referrals/<uuid:pk>/ (DESIGN.md §5)."""

from django.urls import path

from . import records, timeline, views, work

urlpatterns = [
    path(
        "vulnerability-assessments/",
        views.CaseAssessments.as_view(),
        name="channel-case-assessments",
    ),
    path("consents/", views.CaseConsents.as_view(), name="channel-case-consents"),
    path("support-plan/", work.CaseSupportPlan.as_view(), name="channel-case-support-plan"),
    path(
        "support-plan/interventions/",
        views.CaseInterventions.as_view(),
        name="channel-case-interventions",
    ),
    path("reviews/", views.CaseReviews.as_view(), name="channel-case-reviews"),
    path(
        "vulnerability-assessments/<uuid:record_pk>/",
        records.CaseAssessmentDetail.as_view(),
        name="channel-case-assessment",
    ),
    path(
        "consents/<uuid:record_pk>/",
        records.CaseConsentDetail.as_view(),
        name="channel-case-consent",
    ),
    path(
        "reviews/<uuid:record_pk>/", records.CaseReviewDetail.as_view(), name="channel-case-review"
    ),
    path("timeline/", timeline.CaseTimeline.as_view(), name="referral-timeline"),
]
