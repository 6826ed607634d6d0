from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

from accounts.middleware import mfa_satisfied


class PreventAdminSite(admin.AdminSite):
    """Admin for system administrators only, behind the same sign-in and MFA as everything."""

    site_header = "Prevent case management administration"
    site_title = "Prevent case management"
    index_title = "People and organisations"
    login_template = None

    def has_permission(self, request):
        user = request.user
        if not (user.is_active and user.is_authenticated and user.has_role("system_admin")):
            return False
        return not settings.MFA_REQUIRED or mfa_satisfied(request)

    def login(self, request, extra_context=None):
        """The admin has no sign-in page of its own: send people to the service's one."""
        return redirect_to_login(request.get_full_path(), reverse("accounts:login"))
