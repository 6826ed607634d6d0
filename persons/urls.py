from django.urls import path

from . import views

app_name = "persons"

urlpatterns = [
    path("<uuid:pk>/", views.detail, name="detail"),
    path("cases/<uuid:pk>/link/<uuid:person_pk>/", views.link, name="link"),
    path("cases/<uuid:pk>/unlink/", views.unlink, name="unlink"),
]
