"""Authentication backend: Django's ModelBackend, loading what every request reads with the user.

Scope rules read the user's agency, local authority and force on every request; without the
join that is two more queries before any page does its own work.
"""

from django.contrib.auth.backends import ModelBackend, UserModel


class ModelBackendWithAgency(ModelBackend):
    def get_user(self, user_id):
        user = (
            UserModel._default_manager.select_related("agency__local_authority")
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
