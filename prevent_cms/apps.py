import datetime

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate


class PreventCmsConfig(AppConfig):
    name = "prevent_cms"
    verbose_name = "Prevent CMS core"
    default = True

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from . import metrics  # noqa: F401 - connects the Celery task counters (issue 20)
        from .audit_export import (
            AUDIT_EXPORT_KIND,
            AUDIT_EXPORT_USER_KIND,
            audit_export_job_page,
            audit_export_readable_by,
        )
        from .registry import register_job_page, register_job_reader, register_nav
        from .schedule import beat_schedule_install, periodic

        register_nav(_("Audit export"), "audit_export", roles={"system_admin"}, order=90)
        for kind in (AUDIT_EXPORT_KIND, AUDIT_EXPORT_USER_KIND):
            register_job_reader(kind, audit_export_readable_by)
            register_job_page(kind, audit_export_job_page)
        # The outbox relay sends tasks left pending while Redis was down (prevent_cms.outbox);
        # the retention purge deletes job results, pack files, import previews and sent
        # outbox rows after their periods (prevent_cms.purge).
        periodic(
            "relay-outbox", "prevent_cms.tasks.relay_outbox", every=datetime.timedelta(seconds=30)
        )
        periodic(
            "retention-purge", "prevent_cms.tasks.purge_expired", every=datetime.timedelta(hours=1)
        )
        periodic(
            "notifications: daily digest",
            "prevent_cms.tasks.send_notification_digests",
            crontab="0 7 * * *",
        )
        # Once, for every app's entries: they are all declared by the time migrate ends.
        post_migrate.connect(beat_schedule_install, sender=self)


class PreventAdminConfig(admin_apps.AdminConfig):
    """Django's admin with our site: system administrators only, behind MFA."""

    default = False
    default_site = "prevent_cms.admin_site.PreventAdminSite"
