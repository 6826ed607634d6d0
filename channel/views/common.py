"""Shared helpers for Channel pages."""

from __future__ import annotations

from django.http import HttpResponse


def bad_request(response: HttpResponse) -> HttpResponse:
    response.status_code = 400
    return response
