"""The training block on the home page of agency leads and borough leads."""

from .dates import Status
from .selectors import staff_due


def home_panel(user) -> dict:
    return {
        "expired": staff_due(user, Status.EXPIRED).count(),
        "expiring_soon": staff_due(user, Status.EXPIRING_SOON).count(),
    }
