"""Courses as data, kept by system administrators. Staff records are not shown here:
administrators manage the service, not people's training (agency leads keep that)."""

from django.contrib import admin

from accounts.admin import SystemAdminOnly

from .models import Course, CourseValidity
from .services import course_recompute_expiry


class CourseValidityInline(SystemAdminOnly, admin.TabularInline):
    model = CourseValidity
    extra = 1


@admin.register(Course)
class CourseAdmin(SystemAdminOnly, admin.ModelAdmin):
    list_display = ["title", "code", "provider", "kind", "valid_months", "requires", "is_active"]
    list_filter = ["provider", "kind", "is_active"]
    search_fields = ["title", "code"]
    inlines = [CourseValidityInline]

    def save_related(self, request, form, formsets, change):
        """Validity may have changed (on the course or an override): expiry dates follow."""
        super().save_related(request, form, formsets, change)
        course_recompute_expiry(course_id=form.instance.pk)

    def has_delete_permission(self, request, obj=None):
        """Courses with records are kept (set them as not offered instead)."""
        if obj is not None and obj.records.exists():
            return False
        return super().has_delete_permission(request, obj)
