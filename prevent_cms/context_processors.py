from django.conf import settings
from django.utils.translation import gettext

from accounts.middleware import session_idle_seconds_left

from .notifications import notifications_unread
from .registry import NavigationCounts, navigation_for


def service(request):
    """Values every page template needs: service name, session timings, navigation."""
    user = getattr(request, "user", None)
    navigation = []
    unread = None
    idle_left = settings.SESSION_IDLE_TIMEOUT
    if user is not None and user.is_authenticated:
        # The navigation's counts and the unread notifications: one query, made only if the
        # page shows them (the template calls them).
        counts = NavigationCounts()
        navigation = navigation_for(user, request.path, counts)
        unread = counts.add("notifications", notifications_unread(user))
        if hasattr(request, "session"):
            idle_left = session_idle_seconds_left(request.session)
    return {
        "service_name": gettext(settings.SERVICE_NAME),
        "session_idle_timeout": settings.SESSION_IDLE_TIMEOUT,
        "session_idle_left": idle_left,
        "session_warning_before": settings.SESSION_WARNING_BEFORE,
        "navigation": navigation,
        "notifications_unread": unread,
    }
