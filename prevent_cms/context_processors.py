from functools import cache

from django.conf import settings
from django.utils.translation import gettext

from .notifications import notification_unread_count
from .registry import navigation_for


def service(request):
    """Values every page template needs: service name, session timings, navigation."""
    user = getattr(request, "user", None)
    navigation = []
    unread = None
    if user is not None and user.is_authenticated:
        navigation = navigation_for(user, request.path)
        # Counted only if the page shows it (the template calls it), once per request.
        unread = cache(lambda: notification_unread_count(user))
    return {
        "service_name": gettext(settings.SERVICE_NAME),
        "session_idle_timeout": settings.SESSION_IDLE_TIMEOUT,
        "session_warning_before": settings.SESSION_WARNING_BEFORE,
        "navigation": navigation,
        "notifications_unread": unread,
    }
