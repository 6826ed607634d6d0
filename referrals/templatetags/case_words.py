"""Codes on case pages in words (referrals.audit_labels)."""

from django import template

from referrals.audit_labels import action_label, via_label

register = template.Library()


@register.filter
def audit_action(event) -> str:
    """``referral.viewed`` with ``via: page`` → "Viewed the case on its page"."""
    via = via_label(str((event.detail or {}).get("via", "")))
    return f"{action_label(event.action)} {via}".strip()
