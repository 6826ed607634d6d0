"""The Home Office type-of-concern scheme used since 2024/25 (DOMAIN.md §Statistics)."""

from django.utils.translation import gettext_noop

from .models import ConcernType

CONCERN_TYPES = [
    ("islamist", "Islamist"),
    ("extreme_right_wing", "Extreme right-wing"),
    ("left_wing", "Left-wing, anarchist or single-issue"),
    ("other_ideology", "Other ideology"),
    ("conflicted", "Conflicted"),
    ("school_massacre", "School massacre"),
    ("extreme_violence_fascination", "Fascination with extreme violence (no other ideology)"),
    ("no_ideology_vulnerability", "Vulnerability present, no ideology or CT risk"),
    ("high_ct_risk_no_ideology", "High CT risk, no ideology"),
    ("unclear", "Unclear"),
]


def load_concern_types(concern_type_model) -> None:
    """Create or update the scheme. Takes the model so a migration can pass its own."""
    for order, (code, label) in enumerate(CONCERN_TYPES):
        concern_type_model.objects.update_or_create(
            code=code, defaults={"label": label, "scheme": "2024", "order": order}
        )


def ensure_concern_types() -> None:
    if not ConcernType.objects.exists():
        load_concern_types(ConcernType)


# The labels are stored in English and looked up in the catalogue when shown (ConcernType's
# __str__, issue 19); naming them here keeps them in it.
CONCERN_TYPE_LABELS = (
    gettext_noop("Islamist"),
    gettext_noop("Extreme right-wing"),
    gettext_noop("Left-wing, anarchist or single-issue"),
    gettext_noop("Other ideology"),
    gettext_noop("Conflicted"),
    gettext_noop("School massacre"),
    gettext_noop("Fascination with extreme violence (no other ideology)"),
    gettext_noop("Vulnerability present, no ideology or CT risk"),
    gettext_noop("High CT risk, no ideology"),
    gettext_noop("Unclear"),
)
