"""Template helpers for training pages: the one status → GOV.UK tag colour mapping."""

from datetime import date

from django import template
from django.utils.html import format_html

from ..dates import Status, status_for

register = template.Library()

TAG_CLASSES = {
    Status.CURRENT: "govuk-tag--green",
    Status.EXPIRING_SOON: "govuk-tag--yellow",
    Status.EXPIRED: "govuk-tag--red",
}


@register.simple_tag
def status_tag(status: str):
    return format_html(
        '<strong class="govuk-tag {}">{}</strong>',
        TAG_CLASSES.get(status, "govuk-tag--grey"),
        Status(status).label if status in Status.values else status,
    )


@register.simple_tag
def expiry_tag(expires_on: date | None):
    """The status tag for an expiry date (for example a person's latest Prevent training)."""
    if expires_on is None:
        return ""
    return status_tag(status_for(expires_on))


@register.simple_tag(takes_context=True)
def query_with(context, query: str, name: str, value) -> str:
    """A query string keeping the page's other parameters, with one set to ``value``."""
    prefix = f"{query}&" if query else ""
    return f"?{prefix}{name}={value}"
