import pytest
from django.urls import reverse


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


# --- No copy of case content in any cache (issue 13) ----------------------------------------


@pytest.fixture
def case(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from referrals import services
    from tests.channel import factories as cf

    team = cf.channel_team(world)
    referral = cf.support(world, team)
    upload = SimpleUploadedFile("a.txt", b"hello", content_type="text/plain")
    referral.attachment = services.attachment_add(
        referral_id=referral.pk, actor=team.chair, upload=upload
    )
    referral.chair = team.chair
    return referral


CASE_CONTENT = {
    "case page": lambda c: reverse("referrals:detail", args=[c.pk]),
    "Channel case page": lambda c: reverse("channel:case", args=[c.pk]),
    "support plan page": lambda c: reverse("channel:support_plan", args=[c.pk]),
    "API detail": lambda c: reverse("api:referral-detail", args=[c.pk]),
    "API history": lambda c: reverse("api:referral-history", args=[c.pk]),
    "API consents": lambda c: reverse("api:channel-case-consents", args=[c.pk]),
    "attachment download": lambda c: reverse(
        "referrals:attachment_download", args=[c.pk, c.attachment.pk]
    ),
    "a page that is not found": lambda c: "/referrals/no-such-page/",
}


@pytest.mark.parametrize("what", list(CASE_CONTENT))
def test_no_answer_with_case_content_may_be_stored_by_a_cache(client, case, what):
    client.force_login(case.chair)
    response = client.get(CASE_CONTENT[what](case))
    assert response.status_code in (200, 404)
    assert response["Cache-Control"] == "no-store"
    assert response["Pragma"] == "no-cache"


def test_static_files_stay_cacheable(client, db):
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert "Pragma" not in response
