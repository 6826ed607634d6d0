"""Assertions shared by the suite."""

import datetime

from prevent_cms.models import AuditEvent


def assert_hidden(response) -> None:
    """Out-of-scope objects answer 404 (never 403): their existence is itself sensitive."""
    body = getattr(response, "content", b"")[:200]
    assert response.status_code == 404, (response.status_code, body)


def audit_actions(**filters) -> list[str]:
    return list(
        AuditEvent.objects.filter(**filters).order_by("id").values_list("action", flat=True)
    )


def assert_pack_generation_audited_once(job, panel, referrals) -> None:
    """Exactly one ``channel.pack.generated`` per recipient for the panel, and one per
    recipient per case in the pack, however often the task ran."""
    events = AuditEvent.objects.filter(action="channel.pack.generated", detail__job=str(job.pk))
    expected = []
    for recipient in panel.members.values_list("pk", flat=True):
        expected.append((str(recipient), "channel.panel", str(panel.pk)))
        expected += [(str(recipient), "referrals.referral", str(r.pk)) for r in referrals]
    got = [(e.detail["recipient"], e.object_type, e.object_id) for e in events]
    assert sorted(got) == sorted(expected)


def date_boxes(name: str, day) -> dict[str, str]:
    """What a person types into the GOV.UK date input ``name`` for ``day`` (a ``date``, or
    ISO text): the day, month and year boxes ``name_0``, ``name_1`` and ``name_2``."""
    if isinstance(day, str):
        day = datetime.date.fromisoformat(day)
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}
