"""The queue's filters and the case-list export that reuses them."""

from __future__ import annotations

from django import forms
from django.core.cache import cache
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from accounts.models import LocalAuthority, Sector

from ..choices import State
from ..selectors import ASSIGNED_ME, ASSIGNED_NONE, TRIAGE_STAGES
from .fields import Text

# How long the queue's local-authority choices are reused (renames are rare).
CHOICES_CACHE_SECONDS = 300
ASSIGNED_CHOICES = [(ASSIGNED_ME, _("Assigned to me")), (ASSIGNED_NONE, _("Not assigned"))]


class QueueFilterForm(forms.Form):
    q = Text(label=_("Reference or name"), max_length=100)
    state = forms.ChoiceField(
        label=_("Stage"),
        required=False,
        choices=[
            (TRIAGE_STAGES, _("Triage: submitted or police assessment")),
            ("", _("Any open stage")),
            *[c for c in State.choices if c[0] != State.DRAFT],
        ],
        initial=TRIAGE_STAGES,
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )
    assigned = forms.ChoiceField(
        label=_("Assigned to"),
        required=False,
        choices=[("", _("Anyone or no one")), *ASSIGNED_CHOICES],
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )
    local_authority = forms.ModelChoiceField(
        label=_("Local authority"),
        required=False,
        queryset=LocalAuthority.objects.order_by("name"),
        empty_label=_("Any local authority"),
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )
    sector = forms.ChoiceField(
        label=_("Sector of the referrer"),
        required=False,
        choices=[("", _("Any sector")), *Sector.choices],
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )
    urgent = forms.BooleanField(label=_("Urgent only"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # What the local-authority choices depend on, naming their cache entry.
        self.choices_scope = ""
        if user is not None and user.police_force_id:
            self.fields["local_authority"].queryset = LocalAuthority.objects.filter(
                police_force_id=user.police_force_id
            ).order_by("name")
            self.choices_scope = str(user.police_force_id)

    def options(self, name: str) -> str:
        """The ``<option>`` elements of the select ``name``, the current value selected.

        Written here rather than by the widget: Django's select widget renders a template per
        option, and the queue's three selects then cost more than its query.
        """
        current = str(self[name].value() or "")
        field = self.fields[name]
        if isinstance(field, forms.ModelChoiceField):
            # Reference data, kept a few minutes per process: the field's own iterator would
            # query (through a server-side cursor) on every page view.
            key = f"queue-filter-choices:{name}:{self.choices_scope}"
            listed = cache.get_or_set(
                key, lambda: [(str(o.pk), str(o)) for o in field.queryset], CHOICES_CACHE_SECONDS
            )
            choices = [("", field.empty_label), *listed]
        else:
            choices = field.choices
        return format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                # " selected" has nothing to escape: format_html passes it through as is.
                (value, " selected" if str(value) == current else "", label)
                for value, label in choices
            ),
        )

    @property
    def state_options(self) -> str:
        return self.options("state")

    @property
    def assigned_options(self) -> str:
        return self.options("assigned")

    @property
    def local_authority_options(self) -> str:
        return self.options("local_authority")

    @property
    def sector_options(self) -> str:
        return self.options("sector")


class CaseListExportForm(QueueFilterForm):
    """The queue's filters (without the name search) and why the officer needs the list."""

    q = None
    include_closed = forms.BooleanField(label=_("Include closed cases"), required=False)
    reason = Text(
        label=_("Why do you need this list?"), max_length=500, required=True, textarea=True,
        required_message=_("Give the reason you need this list of cases"),
        help_text=_("For example, the quarterly performance return. Recorded with the export "
                    "and in the access log of every case in it."),
    )  # fmt: skip

    FILTERS = ("state", "local_authority", "sector", "urgent", "overdue")
