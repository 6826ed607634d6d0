"""Sortable table headers (issue 19): each column's header is a link that sorts the list by
it (again: the other way), the sort being a GET parameter like the filters, so a sorted list
can be bookmarked and saved as a view. ``aria-sort`` tells screen readers which column the
list is sorted by and which way, as the GOV.UK / MOJ sortable table does."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_header(context, key: str, label: str, default: str = "") -> str:
    """A ``<th>`` whose link sorts the list by ``key``; ``default`` is the list's sort when
    its address names none."""
    request = context["request"]
    current = request.GET.get("sort") or default
    if current == key:
        state, following = "ascending", f"-{key}"
    elif current == f"-{key}":
        state, following = "descending", key
    else:
        state, following = "none", key
    query = request.GET.copy()
    # A new order starts at its first page: a page number or a keyset cursor belongs to the
    # order it was taken in.
    for key in ("page", "after", "before"):
        query.pop(key, None)
    query["sort"] = following
    return format_html(
        '<th scope="col" class="govuk-table__header app-sortable" aria-sort="{}">'
        '<a class="govuk-link app-sort-link" href="?{}">{}</a></th>',
        state,
        query.urlencode(),
        label,
    )
