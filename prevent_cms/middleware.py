"""Request-scoped plumbing shared by every app."""

import uuid

from django.conf import settings

from .audit import set_request_id


class RequestIdMiddleware:
    """Give each request an id, echoed in a header and stamped on its audit events."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = uuid.uuid4().hex
        request.request_id = request_id
        set_request_id(request_id)
        try:
            response = self.get_response(request)
        finally:
            set_request_id("")
        response["X-Request-ID"] = request_id
        return response


class PermissionsPolicyMiddleware:
    """Switch off browser features the service never uses (camera, location and so on)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
