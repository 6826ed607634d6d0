"""One set of list conventions for every API list (issue 23).

Every list answers the same envelope, ``{"count", "next", "previous", "results"}``; takes
``page`` and ``page_size`` (up to ``API_MAX_PAGE_SIZE``, larger asks get that many); takes
``ordering`` over the fields the view names in ``ordering_fields`` (comma-separated, ``-``
for descending); and answers 400 naming the parameter for any value it cannot use, rather
than ignoring it and answering something the caller did not ask for.

``GenericAPIView`` lists get all of this from the settings (``DEFAULT_PAGINATION_CLASS``,
``DEFAULT_FILTER_BACKENDS``). ``APIView`` lists mix in ``ListConventions`` and answer
``self.page_response(rows, serialize)``; drf-spectacular then documents both kinds alike.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView


def max_page_size() -> int:
    return getattr(settings, "API_MAX_PAGE_SIZE", 100)


class Pagination(PageNumberPagination):
    """Page numbers, and ``page_size`` honoured up to ``API_MAX_PAGE_SIZE``.

    A ``page_size`` that is not a whole number of at least 1 answers 400 (DRF would quietly
    use the default); one above the maximum is cut to the maximum, as documented, so a client
    asking for "everything" gets the largest page and follows ``next``.
    """

    page_size_query_param = "page_size"
    page_size_query_description = "How many results per page (at most the documented maximum)."

    @property
    def max_page_size(self) -> int:  # type: ignore[override]  # a setting, read per request
        return max_page_size()

    def get_page_size(self, request: Request) -> int | None:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return self.page_size or api_settings.PAGE_SIZE
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if size < 1:
            raise ValidationError(
                {self.page_size_query_param: ["Give a whole number of 1 or more."]},
                code="invalid",
            )
        return min(size, self.max_page_size)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update({"minimum": 1, "maximum": self.max_page_size})
                parameter["description"] = (
                    f"How many results per page: {self.page_size} unless asked, at most "
                    f"{self.max_page_size} (a larger number gets {self.max_page_size})."
                )
        return parameters


class Ordering(OrderingFilter):
    """``?ordering=`` over the view's ``ordering_fields`` only, strictly.

    DRF's filter drops terms it does not know and falls back to the default order, so a
    typo looks like a sort that worked. Here an unknown term answers 400 naming
    ``ordering``, and so does asking to order a list that names no ``ordering_fields``.
    Every ordering ends in the primary key, so pages never repeat or skip a row.
    """

    def get_valid_fields(self, queryset, view, context=None):
        return [(field, field) for field in getattr(view, "ordering_fields", None) or ()]

    def get_ordering(self, request, queryset, view):
        raw = request.query_params.get(self.ordering_param)
        if raw is None or raw == "":
            return self.get_default_ordering(view)
        allowed = {name for name, _label in self.get_valid_fields(queryset, view)}
        # Exactly as the schema's pattern says: no spaces around the terms.
        terms = raw.split(",")
        unknown = [term for term in terms if term.lstrip("-") not in allowed]
        if unknown:
            message = (
                f"Order by one of: {', '.join(sorted(allowed))} (prefix - for descending)."
                if allowed
                else "This list has one fixed order and cannot be ordered."
            )
            raise ValidationError({self.ordering_param: [message]}, code="invalid")
        return terms

    def filter_queryset(self, request, queryset, view):
        ordering = self.get_ordering(request, queryset, view)
        if ordering and isinstance(queryset, QuerySet):
            return queryset.order_by(*ordering, "pk")
        return queryset

    def get_schema_operation_parameters(self, view):
        fields = getattr(view, "ordering_fields", None) or ()
        if not fields:
            return []
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": (
                    "Order by these fields, comma-separated; prefix a field with - for "
                    f"descending. Fields: {', '.join(fields)}."
                ),
                "schema": {"type": "string", "pattern": ordering_pattern(fields)},
            }
        ]


def ordering_pattern(fields) -> str:
    """The ``ordering`` values the server takes, as a pattern a client can check first."""
    term = f"-?({'|'.join(re.escape(field) for field in fields)})"
    return f"^({term}(,{term})*)?$"


# For an ``APIView`` whose GET answers a list: ordering, paging and the envelope.
# ``pagination_class`` and ``filter_backends`` are here for drf-spectacular too, which then
# documents the envelope, ``page``, ``page_size`` and ``ordering`` for the view's GET.
# (Comments, not a docstring: drf-spectacular would publish a mixin's docstring as the
# description of every operation of a view that has none of its own.)
class ListConventions(APIView):
    pagination_class = Pagination
    filter_backends = [Ordering]
    ordering_fields: tuple[str, ...] = ()
    ordering: tuple[str, ...] | None = None

    def page_response(
        self, rows: QuerySet | list, serialize: Callable[[Iterable], Any]
    ) -> Response:
        """``serialize`` turns the page's rows into the page's ``results``."""
        request = self.request
        for backend in self.filter_backends:
            rows = backend().filter_queryset(request, rows, self)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(serialize(page or []))


def query_params(serializer_class: type[serializers.Serializer], request: Request) -> dict:
    """The query parameters ``serializer_class`` declares, validated (400 naming each bad
    one); for views whose filters are not a django-filter ``FilterSet``."""
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data
