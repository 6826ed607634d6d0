"""Admin screens for system administrators: people and organisations only, never cases.

What an account may do (roles, agency, active state, staff flag, API token) is changed only
through ``accounts.services``, which refuses self-grants and a system administrator holding
a case role, audits each change and tells the other administrators.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from rest_framework.authtoken.models import TokenProxy

from .models import Agency, LocalAuthority, PoliceForce, Role, RoleGrant, User
from .services import token_expires_at, token_revoke, user_access_set, user_roles_check

# DRF's token screen lists every key and deletes without an audit event; tokens are revoked
# from the people list instead (``UserAdmin.revoke_api_tokens``).
if admin.site.is_registered(TokenProxy):
    admin.site.unregister(TokenProxy)


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


class AccountChangeForm(UserChangeForm):
    """The change form, with the roles as one field checked by the same rule as the service."""

    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "A system administrator holds no other role. You cannot change your own roles."
        ),
    )
    actor: User | None = None  # the administrator using the form, set by UserAdmin.get_form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["roles"].initial = sorted(
                RoleGrant.objects.filter(user=self.instance).values_list("role", flat=True)
            )

    def clean(self):
        data = super().clean()
        if "roles" in data:
            try:
                user_roles_check(actor=self.actor, user=self.instance, roles=data["roles"])
            except ValidationError as error:
                self.add_error(None, error)
        return data


# Saved by ``user_access_set`` (audited, administrators told), never by the admin's own save.
ACCESS_FIELDS = ("agency", "is_active", "is_staff")


@admin.register(User)
class UserAdmin(SystemAdminOnly, DjangoUserAdmin):
    form = AccountChangeForm
    actions = ["revoke_api_tokens"]
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
        ("Access", {"fields": ("is_active", "is_staff", "roles", "api_token_expires")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    readonly_fields = ["last_login", "date_joined", "api_token_expires"]

    def has_delete_permission(self, request, obj=None):
        """Deactivate people instead: their audit trail keeps its actor, and the change is
        audited and seen by the other administrators."""
        return False

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is None:
            return form
        return type(form.__name__, (form,), {"actor": request.user})

    def save_model(self, request, obj, form, change):
        """Personal details are saved here; access goes through ``user_access_set``."""
        if not change:
            super().save_model(request, obj, form, change)
            return
        wanted = {field: getattr(obj, field) for field in ACCESS_FIELDS}
        stored = User.objects.get(pk=obj.pk)
        for field in ACCESS_FIELDS:
            setattr(obj, field, getattr(stored, field))
        super().save_model(request, obj, form, change)
        user_access_set(
            actor=request.user,
            user_id=obj.pk,
            roles=form.cleaned_data.get("roles"),
            **wanted,
        )

    @admin.display(description=_("API token expires"))
    def api_token_expires(self, obj):
        token = getattr(obj, "auth_token", None) if obj and obj.pk else None
        return token_expires_at(token=token) if token else _("No API token")

    @admin.action(description=_("Revoke the API tokens of the selected people"))
    def revoke_api_tokens(self, request, queryset):
        revoked = sum(
            token_revoke(actor=request.user, user_id=pk)
            for pk in queryset.values_list("pk", flat=True)
        )
        self.message_user(
            request,
            ngettext("%(count)d API token revoked.", "%(count)d API tokens revoked.", revoked)
            % {"count": revoked},
            messages.SUCCESS,
        )


@admin.register(PoliceForce)
class PoliceForceAdmin(SystemAdminOnly, admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(SystemAdminOnly, admin.ModelAdmin):
    list_display = ["name", "police_force"]
    list_filter = ["police_force"]
    search_fields = ["name"]
    autocomplete_fields = ["mash_agency"]  # issue 21: the party of the MASH copy's agreement


@admin.register(Agency)
class AgencyAdmin(SystemAdminOnly, admin.ModelAdmin):
    list_display = ["name", "sector", "local_authority"]
    list_filter = ["sector", "local_authority"]
    search_fields = ["name"]
