"""API views take the person acting from ``signed_in``: a ``User``, or a 401, never nobody."""

import pytest
from django.contrib.auth.models import AnonymousUser
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory, force_authenticate

from accounts.authentication import signed_in
from tests.factories import UserFactory


def _request(user) -> Request:
    django_request = APIRequestFactory().get("/api/v1/")
    force_authenticate(django_request, user=user)
    return Request(django_request)


@pytest.mark.django_db
def test_signed_in_is_the_user_of_an_authenticated_request():
    user = UserFactory()
    assert signed_in(_request(user)) == user


def test_an_anonymous_request_is_refused_not_run_as_nobody():
    with pytest.raises(exceptions.NotAuthenticated):
        signed_in(_request(AnonymousUser()))
