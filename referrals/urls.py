from django.urls import path

from . import views
from .views import addenda, imports, retention

app_name = "referrals"

urlpatterns = [
    path("", views.my_referrals, name="mine"),
    path("start/", views.start, name="start"),
    path("start/first-question/", views.first_question, name="first_question"),
    path("record/", views.record, name="record"),
    path("record/national-form/", imports.import_form, name="import_form"),
    path("queue/", views.queue, name="queue"),
    path("queue/export/", views.queue_export, name="queue_export"),
    path("records/", retention.case_records, name="records"),
    path("retention/", retention.retention_queue, name="retention"),
    path("retention/<uuid:pk>/delete/", retention.retention_delete, name="retention_delete"),
    path("subject-access/", retention.subject_access, name="subject_access"),
    path("open/", views.break_glass, name="break_glass"),
    path("<uuid:pk>/", views.detail, name="detail"),
    path("<uuid:pk>/access-log/", views.access_log, name="access_log"),
    path("<uuid:pk>/tasks/", views.task_list, name="task_list"),
    path("<uuid:pk>/delete/", views.delete_draft, name="delete_draft"),
    path("<uuid:pk>/section/<slug:slug>/", views.section, name="section"),
    path("<uuid:pk>/immediate-danger/", views.urgent, name="urgent"),
    path("<uuid:pk>/check/", views.check, name="check"),
    path("<uuid:pk>/contact/", views.contact, name="contact"),
    path("<uuid:pk>/sent/", views.confirmation, name="confirmation"),
    path("<uuid:pk>/assessment/", views.assessment, name="assessment"),
    path("<uuid:pk>/decide/<slug:name>/", views.decide, name="decide"),
    path("<uuid:pk>/assign/", views.assign, name="assign"),
    path("<uuid:pk>/notes/", views.note_add, name="note_add"),
    path("<uuid:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path(
        "<uuid:pk>/attachments/<uuid:attachment_id>/",
        views.attachment_download,
        name="attachment_download",
    ),
    # Issue 15: evidence with a draft, information added once sent.
    path("<uuid:pk>/evidence/", addenda.evidence, name="evidence"),
    path("<uuid:pk>/add-information/", addenda.addendum_add, name="addendum_add"),
]
