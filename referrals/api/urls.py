from django.urls import path

from . import views

urlpatterns = [
    path("referrals/", views.ReferralListCreate.as_view(), name="referral-list"),
    path("referrals/search/", views.ReferralSearch.as_view(), name="referral-search"),
    path("referrals/<uuid:pk>/", views.ReferralDetail.as_view(), name="referral-detail"),
    path(
        "referrals/<uuid:pk>/transitions/<str:name>/",
        views.ReferralTransitionRun.as_view(),
        name="referral-transition",
    ),
    path("referrals/<uuid:pk>/history/", views.ReferralHistory.as_view(), name="referral-history"),
    path(
        "referrals/<uuid:pk>/assessment/",
        views.ReferralAssessment.as_view(),
        name="referral-assessment",
    ),
    path(
        "referrals/<uuid:pk>/access-log/",
        views.ReferralAccessLog.as_view(),
        name="referral-access-log",
    ),
]
