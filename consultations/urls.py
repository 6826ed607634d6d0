from django.urls import path

from . import views

app_name = "consultations"

urlpatterns = [
    path("", views.consultation_list, name="list"),
    path("new/", views.consultation_new, name="new"),
    path("<uuid:pk>/", views.consultation_detail, name="detail"),
    path("<uuid:pk>/edit/", views.consultation_edit, name="edit"),
    path("<uuid:pk>/link/", views.consultation_link_view, name="link"),
]
