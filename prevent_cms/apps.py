from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class PreventCmsConfig(AppConfig):
    name = "prevent_cms"
    verbose_name = "Prevent CMS core"
    default = True


class PreventAdminConfig(admin_apps.AdminConfig):
    """Django's admin with our site: system administrators only, behind MFA."""

    default = False
    default_site = "prevent_cms.admin_site.PreventAdminSite"
