"""Admin screens for system administrators: people and organisations only, never cases."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .models import Agency, LocalAuthority, PoliceForce, Role, RoleGrant, User


class SystemAdminOnly:
    """Only a signed-in system administrator may use these screens."""

    def _allowed(self, request) -> bool:
        return request.user.is_active and request.user.has_role(Role.SYSTEM_ADMIN)

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request, *args):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request)


class RoleGrantInline(SystemAdminOnly, admin.TabularInline):
    model = RoleGrant
    extra = 1


@admin.register(User)
class UserAdmin(SystemAdminOnly, DjangoUserAdmin):
    inlines = [RoleGrantInline]
    list_display = ["username", "first_name", "last_name", "agency", "is_active"]
    list_filter = ["is_active", "agency__local_authority", "role_grants__role"]
    list_select_related = ["agency"]
    search_fields = ["username", "first_name", "last_name", "email"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            "Person",
            {"fields": ("first_name", "last_name", "email", "job_title", "phone", "agency")},
        ),
        ("Access", {"fields": ("is_active", "is_staff")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    readonly_fields = ["last_login", "date_joined"]


@admin.register(PoliceForce)
class PoliceForceAdmin(SystemAdminOnly, admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(SystemAdminOnly, admin.ModelAdmin):
    list_display = ["name", "police_force"]
    list_filter = ["police_force"]
    search_fields = ["name"]


@admin.register(Agency)
class AgencyAdmin(SystemAdminOnly, admin.ModelAdmin):
    list_display = ["name", "sector", "local_authority"]
    list_filter = ["sector", "local_authority"]
    search_fields = ["name"]
