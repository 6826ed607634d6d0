from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts import views as account_views
from accounts.api.views import ApiTokenRenew, ApiTokenView, LocalAuthorityList, UserList

from . import audit_views, job_views, notification_views, operations, saved_view_views, views
from .api.jobs import JobDetail, JobResult
from .api.notifications import NotificationList, NotificationPreferences, NotificationRead
from .api.work import MyWork

api_v1 = [
    path("auth/token/", ApiTokenView.as_view(), name="auth-token"),
    path("auth/token/renew/", ApiTokenRenew.as_view(), name="auth-token-renew"),
    path("users/", UserList.as_view(), name="user-list"),
    path("local-authorities/", LocalAuthorityList.as_view(), name="local-authority-list"),
    path("jobs/<uuid:pk>/", JobDetail.as_view(), name="job-detail"),
    path("jobs/<uuid:pk>/result/", JobResult.as_view(), name="job-result"),
    # Issue 17: the person's own notifications and work.
    path("notifications/", NotificationList.as_view(), name="notification-list"),
    path("notifications/<uuid:pk>/read/", NotificationRead.as_view(), name="notification-read"),
    path("me/work/", MyWork.as_view(), name="my-work"),
    path(
        "me/notification-preferences/",
        NotificationPreferences.as_view(),
        name="notification-preferences",
    ),
    # Issue 18: the person index, matches, links and the transfer steps (before the
    # referrals' generic transitions/<name>/, which would answer those names 404).
    path("", include("persons.api.urls")),
    path("", include("referrals.api.urls")),
    path("referrals/<uuid:pk>/", include("channel.api.referral_urls")),
    path("channel/", include("channel.api.urls")),
    path("training/", include("training.api.urls")),
    path("reports/", include("reports.api.urls")),
    path("consultations/", include("consultations.api.urls")),
    path("partnership/", include("partnership.api.urls")),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    # Issue 20: for load balancers and monitoring (prevent_cms.operations).
    path("healthz", operations.healthz, name="healthz"),
    path("readyz", operations.readyz, name="readyz"),
    path("metrics", operations.metrics, name="metrics"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    # Issue 19: English or Cymraeg, chosen with the toggle in the header (a cookie; public, as
    # the sign-in page offers it too).
    path("language/", account_views.set_language, name="set_language"),
    path("accounts/", include("accounts.urls")),
    path("audit/export/", audit_views.audit_export, name="audit_export"),
    # Issue 19: a person's named views of a list (filters and sort), private to them.
    path("saved-views/", saved_view_views.saved_view_create, name="saved_view_create"),
    path("saved-views/<uuid:pk>/", saved_view_views.saved_view_apply, name="saved_view"),
    path(
        "saved-views/<uuid:pk>/delete/",
        saved_view_views.saved_view_delete_page,
        name="saved_view_delete",
    ),
    path("jobs/<uuid:pk>/", job_views.job_status, name="job_status"),
    path("jobs/<uuid:pk>/download/", job_views.job_download, name="job_download"),
    path("notifications/", notification_views.notification_list, name="notifications"),
    path(
        "notifications/<uuid:pk>/read/",
        notification_views.notification_read,
        name="notification_read",
    ),
    path(
        "notifications/preferences/",
        notification_views.notification_preferences,
        name="notification_preferences",
    ),
    path("referrals/", include("referrals.urls")),
    path("channel/", include("channel.urls")),
    path("training/", include("training.urls")),
    path("reports/", include("reports.urls")),
    path("consultations/", include("consultations.urls")),
    path("persons/", include("persons.urls")),
    path("partnership/", include("partnership.urls")),
    path("mailing-list/", include("partnership.urls_mailing")),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]

handler400 = "prevent_cms.views.bad_request"
handler403 = "prevent_cms.views.permission_denied"
handler404 = "prevent_cms.views.page_not_found"
handler500 = "prevent_cms.views.server_error"
