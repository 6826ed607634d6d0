"""Authentication backend: Django's ModelBackend, loading what every request reads with the user.

Scope rules read the user's agency, local authority, force and roles on every request;
without them in the user's own query that is three more queries before any page does its own
work (``accounts.selectors.users_signing_in``).
"""

from django.contrib.auth.backends import ModelBackend

from .selectors import users_signing_in


class ModelBackendWithAgency(ModelBackend):
    def get_user(self, user_id):
        user = users_signing_in().filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
