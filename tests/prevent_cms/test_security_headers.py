import pytest


@pytest.mark.parametrize("path", ["/accounts/login/", "/health/", "/no-such-page/"])
def test_every_response_carries_security_headers(client, db, path):
    response = client.get(path)
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response["Permissions-Policy"]


def test_api_docs_load_their_script_from_a_file_not_inline(client, world):
    client.force_login(world.user("referrer"))
    page = client.get("/api/docs/").content.decode()
    assert "<script src=" in page
    assert "<script>" not in page.replace(" ", "")
