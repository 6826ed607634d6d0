"""Form pieces every app shares."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Size


class GovFormHelper(FormHelper):
    """A crispy-forms-gds helper whose ``label_size``/``legend_size`` always become classes.

    The library turns ``Size.SMALL`` into ``govuk-label--s`` only while rendering a layout; a
    form drawn field by field (no layout) received the bare letter, so labels rendered as
    ``class="govuk-label s"`` and lost their size. Converting here covers both ways.
    """

    def get_attributes(self, *args, **kwargs):
        items = super().get_attributes(*args, **kwargs)
        if self.label_size:
            items["label_size"] = Size.for_label(self.label_size)
        if self.legend_size:
            items["legend_size"] = Size.for_legend(self.legend_size)
        return items
