from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class PreventCmsConfig(AppConfig):
    name = "prevent_cms"
    verbose_name = "Prevent CMS core"
    default = True

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from .registry import register_nav

        register_nav(_("Audit export"), "audit_export", roles={"system_admin"}, order=90)


class PreventAdminConfig(admin_apps.AdminConfig):
    """Django's admin with our site: system administrators only, behind MFA."""

    default = False
    default_site = "prevent_cms.admin_site.PreventAdminSite"
