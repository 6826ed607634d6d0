from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class PreventCmsConfig(AppConfig):
    name = "prevent_cms"
    verbose_name = "Prevent CMS core"
    default = True

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from .audit_export import (
            AUDIT_EXPORT_KIND,
            AUDIT_EXPORT_USER_KIND,
            audit_export_readable_by,
        )
        from .registry import register_job_reader, register_nav

        register_nav(_("Audit export"), "audit_export", roles={"system_admin"}, order=90)
        for kind in (AUDIT_EXPORT_KIND, AUDIT_EXPORT_USER_KIND):
            register_job_reader(kind, audit_export_readable_by)


class PreventAdminConfig(admin_apps.AdminConfig):
    """Django's admin with our site: system administrators only, behind MFA."""

    default = False
    default_site = "prevent_cms.admin_site.PreventAdminSite"
