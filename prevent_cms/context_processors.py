from django.conf import settings

from .registry import navigation_for


def service(request):
    """Values every page template needs: service name, session timings, navigation."""
    user = getattr(request, "user", None)
    navigation = []
    if user is not None and user.is_authenticated:
        navigation = navigation_for(user, request.path)
    return {
        "service_name": settings.SERVICE_NAME,
        "session_idle_timeout": settings.SESSION_IDLE_TIMEOUT,
        "session_warning_before": settings.SESSION_WARNING_BEFORE,
        "navigation": navigation,
    }
