from django.urls import path

from . import views

urlpatterns = [
    path("courses/", views.CourseList.as_view(), name="training-course-list"),
    path("records/", views.RecordListCreate.as_view(), name="training-record-list"),
    path("records/<uuid:pk>/", views.RecordDetail.as_view(), name="training-record-detail"),
    path("compliance/", views.ComplianceList.as_view(), name="training-compliance"),
    path("imports/", views.ImportCreate.as_view(), name="training-import-create"),
    path("imports/<uuid:pk>/", views.ImportDetail.as_view(), name="training-import-detail"),
    path("imports/<uuid:pk>/rows/", views.ImportRows.as_view(), name="training-import-rows"),
    path(
        "imports/<uuid:pk>/confirm/", views.ImportConfirm.as_view(), name="training-import-confirm"
    ),
    path("imports/<uuid:pk>/cancel/", views.ImportCancel.as_view(), name="training-import-cancel"),
]
