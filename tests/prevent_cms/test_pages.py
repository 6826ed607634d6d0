import pytest
from django.test import Client
from django.urls import reverse


def test_home_requires_sign_in(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_home_greets_a_user_with_no_role(client, world):
    user = world.user()
    client.force_login(user)
    response = client.get("/")
    assert b"Your account has no role yet" in response.content


def test_unknown_url_gets_gov_uk_404(client, world):
    client.force_login(world.user("referrer"))
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert b"govuk-template" in response.content


def test_unknown_api_url_gets_json_404(client, world):
    client.force_login(world.user("referrer"))
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


def test_missing_csrf_token_gets_a_clear_page(world):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert b"Your form could not be sent" in response.content


def test_malformed_token_gets_json_401(client, db):
    response = client.get("/api/v1/users/", HTTP_AUTHORIZATION="Token not-a-real-token")
    assert response.status_code == 401
    assert "detail" in response.json()


def test_anonymous_api_call_gets_json_401_or_403(client, db):
    response = client.get("/api/v1/users/")
    assert response.status_code in (401, 403)
    assert response.json()["detail"] == "Sign in to use this service."


def test_health_check_is_open_and_says_nothing_else(client, db):
    response = client.get(reverse("health"))
    assert response.json() == {"status": "ok"}


def test_responses_carry_a_request_id(client, db):
    assert len(client.get(reverse("health"))["X-Request-ID"]) == 32


def test_server_error_page_has_no_stack_trace(world, settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    from prevent_cms import urls

    def explode(request):
        raise RuntimeError("secret internals")

    from django.urls import path

    urls.urlpatterns.append(path("explode/", explode))
    try:
        from django.urls import clear_url_caches

        clear_url_caches()
        response = client.get("/explode/")
    finally:
        urls.urlpatterns.pop()
        clear_url_caches()
    assert response.status_code == 500
    assert b"Sorry, there is a problem with the service" in response.content
    assert b"secret internals" not in response.content


@pytest.mark.parametrize("path", ["/api/schema/", "/api/docs/"])
def test_api_docs_need_sign_in_and_then_render(client, world, path):
    assert client.get(path).status_code in (401, 403)
    client.force_login(world.user("referrer"))
    assert client.get(path).status_code == 200
