"""The page's <title>: what the page says it is, made unique and descriptive (WCAG 2.4.2).

A title is what a screen reader says first and what a tab, a bookmark and the browser's
history show, so two different pages must not share one. ``{% page_title %}…{% endpage_title %}``
wraps the page's own title (its ``page_title`` block) and adds, where the page has them:

- "Error:" when a form on it has errors;
- the case's reference (or the record's), never a person's name: a page about one case is
  named by the case;
- the panel's date and local authority;
- the filters chosen, by their labels, and the page number.
"""

from __future__ import annotations

from django import forms, template
from django.utils.formats import date_format
from django.utils.translation import gettext as _

register = template.Library()

NOT_FILTERS = {"page", "next", "after", "before", "search", "format", "q", "timeout"}


@register.tag("page_title")
def do_page_title(parser, token):
    nodelist = parser.parse(("endpage_title",))
    parser.delete_first_token()
    return PageTitleNode(nodelist)


class PageTitleNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context) -> str:
        title = " ".join(self.nodelist.render(context).split())
        parts = [title]
        for extra in (*_subjects(context), *_filters(context)):
            if extra and extra not in title:
                parts.append(extra)
        text = " – ".join(parts)
        error = _("Error:")
        if _has_errors(context) and not text.startswith(error):
            text = f"{error} {text}"
        return text


def _subjects(context) -> list[str]:
    """What one page is about, by reference: a case, a Channel panel (both, for a case on a
    panel's agenda), a training record."""
    found = [_case(context)]
    panel = context.get("panel")
    if getattr(panel, "date", None) and getattr(panel, "local_authority", None):
        found.append(
            _("panel of %(date)s, %(area)s")
            % {"date": date_format(panel.date, "j F Y"), "area": panel.local_authority.name}
        )
    record = context.get("record")
    if getattr(record, "completed_on", None) and getattr(record, "pk", None):
        found.append(
            _("%(course)s, completed %(date)s (record %(ref)s)")
            % {
                "course": record.course,
                "date": date_format(record.completed_on, "j F Y"),
                "ref": str(record.pk)[:8],
            }
        )
    return [text for text in found if text]


def _case(context) -> str:
    for name in ("referral", "case"):
        reference = getattr(context.get(name), "reference", None)
        if reference:
            return str(reference)
    for name in ("intervention", "item", "plan", "review", "session"):
        referral = getattr(context.get(name), "referral", None)
        if getattr(referral, "reference", None):
            return str(referral.reference)
    return ""


def _filters(context) -> list[str]:
    """The filters of a list by their labels, then the page number (``?page=`` or another
    numbered list of the page: ``?soon=2``)."""
    request = context.get("request")
    if request is None:
        return []
    form = _filter_form(context)
    chosen, boxes = _dates_chosen(form, request.GET)
    pages = []
    for name, values in request.GET.lists():
        for value in values:
            if not value or name in NOT_FILTERS - {"page"} or name in boxes:
                continue
            if name == "page" or (value.isdigit() and not (form and name in form.fields)):
                label = _("page %(number)s") % {"number": value}
                pages.append(label if name == "page" else f"{name.replace('_', ' ')} {label}")
                continue
            chosen.append(_filter_label(form, name, value))
    if chosen:
        pages.insert(0, _("filtered by %(filters)s") % {"filters": "; ".join(chosen)})
    return pages


def _dates_chosen(form: forms.Form | None, query) -> tuple[list[str], set[str]]:
    """A GOV.UK date input's day, month and year boxes (``from_0``, ``from_1``, ``from_2``)
    named once, by the field's label and the date ("From: 1 April 2025"); and the boxes'
    names, which are not filters of their own."""
    chosen, boxes = [], set()
    for name, field in form.fields.items() if form is not None else ():
        if not isinstance(field.widget, forms.MultiWidget):
            continue
        parts = [f"{name}_{n}" for n in range(len(field.widget.widgets))]
        if not any(query.get(part) for part in parts):
            continue
        boxes.update(parts)
        day = None
        if form.is_bound and name not in form.errors:  # ``errors`` cleans the form once
            day = form.cleaned_data.get(name)
        shown = date_format(day, "j F Y") if day else " ".join(query.get(p, "") for p in parts)
        chosen.append(f"{field.label or name}: {shown}")
    return chosen, boxes


def _filter_form(context) -> forms.Form | None:
    for name in ("form", "filter_form", "filters", "period_form"):
        candidate = context.get(name)
        if issubclass(type(candidate), forms.BaseForm):
            return candidate
    return None


def _filter_label(form: forms.Form | None, name: str, value: str) -> str:
    field = form.fields.get(name) if form is not None else None
    if field is None:
        return f"{name.replace('_', ' ')}: {value}"
    shown = value
    for code, label in getattr(field, "choices", ()):
        if str(code) == value:
            shown = str(label)
            break
    return f"{field.label or name}: {shown}"


def _has_errors(context) -> bool:
    # type(), not isinstance(): a lazy form (the queue's cached blank filter) is not built.
    return any(
        issubclass(type(value), forms.BaseForm) and value.is_bound and bool(value.errors)
        for value in context.flatten().values()
    )
