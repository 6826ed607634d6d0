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

import django_filters
from django import forms
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

    # ``?page=last`` is not a page number: the schema says an integer.
    last_page_strings = ()

    def get_page_number(self, request: Request, paginator) -> int | str:
        """``page`` as given; absent means the first. DRF also reads an empty ``page=`` as
        the first, which the schema's integer does not allow: here it is an invalid page
        (404, as for any page that is not a number or past the end)."""
        return request.query_params.get(self.page_query_param, 1)

    def get_page_size(self, request: Request) -> int | None:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size or api_settings.PAGE_SIZE
        # Digits only, as the schema's integer: not "", " 5" or "+5", which int() would take;
        # any number of them (the schema names no maximum: a larger size is cut to it).
        size = int(raw) if re.fullmatch(r"[0-9]+", raw) else 0
        if size < 1:
            raise ValidationError(
                {self.page_size_query_param: ["Give a whole number of 1 or more."]},
                code="invalid",
            )
        return min(size, self.max_page_size)

    def get_schema_operation_parameters(self, view):
        # The maximum is said in the description, not as the schema's ``maximum``: a larger
        # number is not refused but cut to it, and a schema must not call invalid what the
        # server takes (schemathesis's negative data, issue 23).
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update({"minimum": 1})
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


GIVE_A_VALUE = "Give a value, or leave the parameter out."


class StrictFilterSet(django_filters.FilterSet):
    """A django-filter ``FilterSet`` for which a parameter given with no value (``?state=``,
    or only spaces) answers 400 naming it, as a malformed value does.

    django-filter reads an empty value as "no filter", as an HTML form sends its unused
    fields; but the schema's dates, ids and lists of values have no empty value, so an API
    that took one would accept what its schema calls invalid. A filter whose schema allows an
    empty value (a search box) is named in ``blank_allowed``.
    """

    blank_allowed: tuple[str, ...] = ()

    def get_form_class(self):
        form = super().get_form_class()
        return type(form.__name__, (_GivenValues, form), {"blank_allowed": self.blank_allowed})


class _GivenValues(forms.Form):
    blank_allowed: tuple[str, ...] = ()

    def clean(self):
        cleaned = super().clean()
        for name in self.fields:
            raw = self.data.get(name)
            if raw is not None and name not in self.blank_allowed and not raw.strip():
                self.add_error(name, forms.ValidationError(GIVE_A_VALUE, code="blank"))
        return cleaned


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
    one); for views whose filters are not a django-filter ``FilterSet``.

    The serializer reads a plain dict, not the ``QueryDict``: given a ``QueryDict``, DRF
    takes an empty value of an optional field (``?status=``) for an absent one, as an HTML
    form sends it, and the schema's ids, dates and lists of values have no empty value."""
    serializer = serializer_class(data=request.query_params.dict())
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data
