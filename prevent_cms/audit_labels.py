"""Audit actions in words, for whatever shows them to people (issue 19): the audit-trail
export's ``action_label`` column beside its ``action`` code, and a case's access log.

Each app names its own actions in its ``AppConfig.ready`` (``register_action_labels``), so
the core does not import the apps (DESIGN.md §2). An action nobody named is written in plain
words made from its code rather than the code itself.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext_lazy as _

# The core's own actions.
_labels: dict[str, object] = {
    "audit.exported": _("Exported the audit trail"),
    "audit.export_requested": _("Asked for an audit trail export"),
    "job.download": _("Downloaded a file"),
    "token.issued": _("Issued an API token"),
    "token.renewed": _("Renewed an API token"),
    "token.revoked": _("Revoked an API token"),
}
# Labellers for families of actions (``referral.transition.<step>``): each returns the
# words for an action it knows, else None.
_labellers: list[Callable[[str], str | None]] = []


def register_action_labels(
    labels: dict[str, object], labeller: Callable[[str], str | None] | None = None
) -> None:
    """Words for an app's audit actions (lazy translations, so read in the reader's language)
    and, optionally, a function naming a family of them."""
    _labels.update(labels)
    if labeller is not None and labeller not in _labellers:
        _labellers.append(labeller)


def words_from_code(code: str) -> str:
    """The last resort: ``channel.something_new`` as "Channel something new"."""
    return code.replace(".", " ").replace("_", " ").strip().capitalize()


def audit_action_label(action: str) -> str:
    """The action in the active language's words; never the bare code."""
    if action in _labels:
        return str(_labels[action])
    for labeller in _labellers:
        label = labeller(action)
        if label:
            return label
    if action.startswith("job.") and action.endswith(".requested"):
        return str(_("Asked for a file"))
    return words_from_code(action)
