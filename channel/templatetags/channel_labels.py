"""Channel's stored codes in words on pages (issue 19)."""

from django import template

from channel.labels import rating_label as _rating_label

register = template.Library()


@register.filter
def rating_label(code: str | None) -> str:
    """A Vulnerability Assessment Framework rating in words, in the reader's language."""
    return _rating_label(code)
