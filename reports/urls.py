from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.statistics, name="statistics"),
    path("compliance/", views.compliance, name="compliance"),
    path("compliance/actions/new/", views.plan_action_new, name="plan_action_new"),
    path("compliance/actions/<uuid:pk>/edit/", views.plan_action_edit, name="plan_action_edit"),
    path("compliance/export/", views.compliance_export_start, name="compliance_export"),
    path("compliance/entries/new/", views.compliance_entry_new, name="compliance_entry_new"),
]
