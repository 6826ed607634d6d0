"""The error summary's links, each to the first input of its field (GOV.UK error summary).

A link to a radio group's or a date's own id moves focus nowhere: that id names no input (or
a ``<div>``). The first input is the first radio or checkbox, or the day box, numbered the way
whoever drew the field numbers it: crispy-forms-gds counts choices from 1 (``id_gender_1``),
Django's own widgets from 0 (``id_gender_0``), and both number a date's boxes from 0.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms, template

register = template.Library()


@dataclass(frozen=True)
class ErrorLink:
    anchor: str  # "" when the form has no input to go to: the message is shown unlinked
    label: str
    message: str


def first_input_id(bound: forms.BoundField) -> str:
    """The id of the element focus should land on for an error on ``bound``."""
    widget = bound.field.widget
    if isinstance(widget, forms.RadioSelect):  # CheckboxSelectMultiple is one too
        if getattr(bound.form, "helper", None) is not None:
            return f"id_{bound.html_name}_1"
        return f"{bound.auto_id}_0"
    if isinstance(widget, forms.MultiWidget):
        return f"{bound.auto_id}_0"
    return bound.auto_id


@register.filter
def error_links(form: forms.BaseForm) -> list[ErrorLink]:
    """Every error of ``form`` in the order of its fields, form-wide ones first (linked to
    the first visible field's first input)."""
    visible = form.visible_fields()
    first = first_input_id(visible[0]) if visible else ""
    links = [ErrorLink(first, "", str(error)) for error in form.non_field_errors()]
    for bound in form:
        if bound.is_hidden:
            links += [ErrorLink(first, "", str(error)) for error in bound.errors]
            continue
        anchor = first_input_id(bound)
        links += [ErrorLink(anchor, str(bound.label), str(error)) for error in bound.errors]
    return links
