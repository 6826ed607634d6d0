from django.urls import path

from . import views

app_name = "persons"

urlpatterns = [
    path("<uuid:pk>/", views.detail, name="detail"),
    path("cases/<uuid:pk>/link/<uuid:person_pk>/", views.link, name="link"),
    path("cases/<uuid:pk>/unlink/", views.unlink, name="unlink"),
    path("cases/<uuid:pk>/identifiers/", views.identifier, name="identifier"),
    path("cases/<uuid:pk>/transfer/", views.transfer, name="transfer"),
    path("transfers/", views.transfers, name="transfers"),
    path("transfers/<uuid:pk>/accept/", views.transfer_accept, name="transfer_accept"),
    path("transfers/<uuid:pk>/decline/", views.transfer_decline, name="transfer_decline"),
]
