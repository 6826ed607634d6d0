"""Every audit action the code records has words, in English and Welsh (issue 19): the
audit-trail export's ``action_label`` column and a case's access log show them. An action
recorded without words would reach people as words made from its code, in English only."""

import re

import pytest
from django.utils import translation

from persons.models import LinkAction
from prevent_cms.audit_labels import audit_action_label, words_from_code
from training.models import ReminderLog

from .source_tree import ROOT, project_files

_LITERAL = re.compile(r'action="([a-z_]+(?:\.[a-z_]+)+)"')
# Actions whose code is built from a value, with every value it takes.
_FAMILIES = {
    "referral.person_{action}": [f"referral.person_{value}" for value in LinkAction.values],
    "training.reminder.{log.state}": [
        f"training.reminder.{value}" for value in ReminderLog.State.values
    ],
}


def _recorded_actions() -> list[str]:
    found = set()
    for path in project_files():
        text = path.read_text()
        if "audit_record" not in text and "_audit(" not in text:
            continue
        found |= set(_LITERAL.findall(text))
        for pattern, codes in _FAMILIES.items():
            if f'action=f"{pattern}"' in text:
                found |= set(codes)
    return sorted(found)


def test_the_source_is_read():
    """The scan finds actions of every kind (a broken pattern would make the next test
    pass on nothing)."""
    actions = _recorded_actions()
    assert len(actions) > 80
    for code in ("referral.viewed", "auth.sign_in", "partnership.ctlp.read"):
        assert code in actions
    assert "training.reminder.nothing_due" in actions
    assert (ROOT / "prevent_cms" / "audit_labels.py").exists()


@pytest.mark.parametrize("code", _recorded_actions())
def test_every_recorded_action_has_its_words_in_english_and_welsh(code):
    english = audit_action_label(code)
    assert english != words_from_code(code), f"{code} has no words: register_action_labels"
    with translation.override("cy"):
        welsh = audit_action_label(code)
    assert welsh != english, f"{code}: “{english}” has no Welsh"
