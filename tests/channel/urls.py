"""The project's URLs plus channel.api.referral_urls at /api/v1/referrals/<uuid:pk>/.

Until prevent_cms/urls.py includes that module, API tests of those paths use this urlconf.
"""

from django.urls import include, path

from prevent_cms import urls as project

_extra = [path("referrals/<uuid:pk>/", include("channel.api.referral_urls"))]
_api = [
    p
    for p in project.api_v1
    if "channel.api.referral_urls" not in str(getattr(p, "urlconf_name", ""))
]

urlpatterns = [p for p in project.urlpatterns if str(p.pattern) != "api/v1/"] + [
    path("api/v1/", include((_extra + _api, "api"), namespace="api"))
]
