"""An e-mail backend that delivers through GOV.UK Notify (issue 17).

Chosen by setting: ``EMAIL_BACKEND = "prevent_cms.notify.NotifyEmailBackend"`` (SMTP stays
the default). Notify sends e-mail from templates kept in the Notify service, not from text
we compose: each kind of notification has a template id (``NOTIFY_TEMPLATES``, a kind's own
or ``"default"``), and the personalisation carries only the reference and the link, so
nothing more than the mail already says (never a name) leaves for Notify. The message's
subject and body, composed for SMTP, are not sent.

Built on GOV.UK's maintained client, ``notifications-python-client``: it signs each request
(a JWT with the service id and the time) and posts it to ``/v2/notifications/email``.
Attachments (a panel's ``.ics``) are not sent through Notify; the link leads to the page
that offers them. There is no Notify server here: the tests run a local HTTP server that
checks each request against Notify's documented API.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail.backends.base import BaseEmailBackend
from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient

log = logging.getLogger(__name__)

NOTIFY_BASE_URL = "https://api.notifications.service.gov.uk"


def notify_fields(message) -> dict:
    """What ``notification_send`` marked on a message: its kind, reference and link."""
    return getattr(message, "notify", None) or {}


class NotifyEmailBackend(BaseEmailBackend):
    """Send each recipient of each message one Notify e-mail from the kind's template."""

    def __init__(self, fail_silently: bool = False, **kwargs):
        super().__init__(fail_silently=fail_silently, **kwargs)
        api_key = getattr(settings, "NOTIFY_API_KEY", "")
        if not api_key:
            raise ImproperlyConfigured("NOTIFY_API_KEY is needed to send e-mail through Notify")
        self.templates = getattr(settings, "NOTIFY_TEMPLATES", {}) or {}
        self.client = NotificationsAPIClient(
            api_key,
            base_url=getattr(settings, "NOTIFY_BASE_URL", "") or NOTIFY_BASE_URL,
            timeout=int(getattr(settings, "NOTIFY_TIMEOUT_SECONDS", 10)),
        )

    def _template_for(self, kind: str) -> str:
        template = self.templates.get(kind) or self.templates.get("default")
        if not template:
            raise ImproperlyConfigured(f"NOTIFY_TEMPLATES has no template for {kind!r}")
        return template

    def send_messages(self, email_messages) -> int:
        sent = 0
        for message in email_messages:
            fields = notify_fields(message)
            kind = fields.get("kind", "")
            personalisation = {
                "reference": fields.get("reference", ""),
                "link": fields.get("link", ""),
            }
            delivered = 0
            for address in message.recipients():
                try:
                    self.client.send_email_notification(
                        email_address=address,
                        template_id=self._template_for(kind),
                        personalisation=personalisation,
                        reference=fields.get("reference") or kind,
                    )
                    delivered += 1
                except APIError as error:
                    # The status and Notify's error codes only: never the address.
                    log.warning("Notify refused an e-mail of kind %s: %s", kind, error.status_code)
                    if not self.fail_silently:
                        raise
            sent += 1 if delivered else 0
        return sent
