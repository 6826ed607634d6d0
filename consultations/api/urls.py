from django.urls import path

from . import views

urlpatterns = [
    path("", views.ConsultationListCreate.as_view(), name="consultation-list"),
    path("<uuid:pk>/", views.ConsultationDetail.as_view(), name="consultation-detail"),
    path("<uuid:pk>/link/", views.ConsultationLink.as_view(), name="consultation-link"),
]
