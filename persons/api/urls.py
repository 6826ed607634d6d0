"""The person index's API paths (issue 18). Included before the referrals' API, whose
``referrals/<id>/transitions/<name>/`` would otherwise answer the transfer steps."""

from django.urls import path

from . import views

urlpatterns = [
    path("persons/<uuid:pk>/", views.PersonDetail.as_view(), name="person-detail"),
    path("referrals/<uuid:pk>/matches/", views.ReferralMatches.as_view(), name="referral-matches"),
    path("referrals/<uuid:pk>/link/", views.ReferralLink.as_view(), name="referral-link"),
    path("referrals/<uuid:pk>/unlink/", views.ReferralUnlink.as_view(), name="referral-unlink"),
    path(
        "referrals/<uuid:pk>/identifiers/",
        views.ReferralIdentifiers.as_view(),
        name="referral-identifiers",
    ),
    path(
        "referrals/<uuid:pk>/transitions/transfer/",
        views.ReferralTransfer.as_view(),
        name="referral-transfer",
    ),
    path(
        "referrals/<uuid:pk>/transitions/accept_transfer/",
        views.ReferralAcceptTransfer.as_view(),
        name="referral-accept-transfer",
    ),
    path(
        "referrals/<uuid:pk>/transitions/decline_transfer/",
        views.ReferralDeclineTransfer.as_view(),
        name="referral-decline-transfer",
    ),
]
