from django.urls import path

from . import views

app_name = "referrals"

urlpatterns = [
    path("queue/", views.placeholder, name="queue"),
    path("<uuid:pk>/", views.placeholder, name="detail"),
]
