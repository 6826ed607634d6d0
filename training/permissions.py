"""Who may do what with training. Views and the API ask these same predicates.

Reading is scoped by ``training.selectors``; these answer whether a visible thing may be
changed. Agency leads keep their own agency's records; borough leads only read.
"""

from accounts.models import Agency, Role, User


def can_view_training(user: User) -> bool:
    return bool(user.is_authenticated and user.agency_id) and user.has_role(
        Role.AGENCY_LEAD, Role.BOROUGH_LEAD
    )


def can_record_training(user: User) -> bool:
    """May record training at all (for their own agency)."""
    return bool(user.is_authenticated and user.agency_id) and user.has_role(Role.AGENCY_LEAD)


def can_record_for(user: User, agency: Agency | None) -> bool:
    return agency is not None and can_record_training(user) and agency.pk == user.agency_id


def can_export_training(user: User) -> bool:
    return can_view_training(user)
