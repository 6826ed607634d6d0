"""Content negotiation, in a module of its own: DRF reads the class while ``rest_framework.views``
is being imported, so this module must not import it (``prevent_cms.api`` does)."""

from __future__ import annotations

from django.http import Http404
from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation


class AuthenticateFirstNegotiation(DefaultContentNegotiation):
    """Content negotiation that does not answer before the caller is known.

    DRF negotiates the format before it authenticates, so ``?format=junk`` (or an ``Accept``
    nothing matches) answered 404 or 406 to anyone, telling a stranger what exists. When no
    renderer fits, the view's authentication and permission checks run first: a caller who
    may not be here is told 401 or 403, as on every other path.
    """

    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except (Http404, exceptions.NotAcceptable):
            view = (getattr(request, "parser_context", None) or {}).get("view")
            if view is not None:
                view.perform_authentication(request)
                view.check_permissions(request)
            raise
