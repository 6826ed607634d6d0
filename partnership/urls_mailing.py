"""The mailing list's public pages (no sign-in: the e-mailed token is the key)."""

from django.urls import path

from .views import mailing

app_name = "mailing"

urlpatterns = [
    path("confirm/<str:token>/", mailing.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", mailing.unsubscribe, name="unsubscribe"),
]
