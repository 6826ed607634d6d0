"""Assertions shared by the suite."""

from prevent_cms.models import AuditEvent


def assert_hidden(response) -> None:
    """Out-of-scope objects answer 404 (never 403): their existence is itself sensitive."""
    body = getattr(response, "content", b"")[:200]
    assert response.status_code == 404, (response.status_code, body)


def audit_actions(**filters) -> list[str]:
    return list(
        AuditEvent.objects.filter(**filters).order_by("id").values_list("action", flat=True)
    )
