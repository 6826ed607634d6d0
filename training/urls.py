from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("coverage.<str:fmt>", views.coverage_export, name="coverage_export"),
    path("courses/", views.course_list, name="course_list"),
    path("records/", views.record_list, name="record_list"),
    path("records.<str:fmt>", views.records_export, name="records_export"),
    path("records/new/", views.record_create_view, name="record_create"),
    path("records/<uuid:pk>/", views.record_detail, name="record_detail"),
    path("records/<uuid:pk>/edit/", views.record_edit, name="record_edit"),
    path("records/<uuid:pk>/delete/", views.record_delete_view, name="record_delete"),
    path("records/<uuid:pk>/certificate/", views.certificate_download, name="certificate"),
    path("imports/new/", views.import_upload, name="import_upload"),
    path("imports/template.csv", views.import_template, name="import_template"),
    path("imports/<uuid:pk>/", views.import_detail, name="import_detail"),
    path("imports/<uuid:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("imports/<uuid:pk>/cancel/", views.import_cancel, name="import_cancel"),
]
