"""Every button that sends a POST form (creates, changes, deletes or starts a job) carries
GOV.UK Frontend's ``data-prevent-double-click="true"`` (issue 19): a second press within a
second is ignored, so a slow job or a slow save is not asked for twice."""

import re

from tests.prevent_cms.source_tree import ROOT

FORM = re.compile(r"<form\b(?P<attrs>[^>]*)>(?P<body>.*?)</form>", re.DOTALL | re.IGNORECASE)
BUTTON = re.compile(r"<button\b(?:[^>{]|\{[^}]*\})*>", re.DOTALL)
POST = re.compile(r"""method=["']?post\b""", re.IGNORECASE)


def post_form_buttons(text: str) -> list[str]:
    """The opening tags of the GOV.UK buttons (``govuk-button``) that submit a POST form
    drawn in ``text``."""
    found = []
    for form in FORM.finditer(text):
        if not POST.search(form["attrs"]):
            continue
        for button in BUTTON.finditer(form["body"]):
            tag = button.group()
            if 'type="button"' in tag or "govuk-button" not in tag:
                continue
            found.append(tag)
    return found


def test_the_reader_finds_buttons_of_post_forms_only():
    text = (
        '<form method="get"><button type="submit" class="govuk-button">Filter</button></form>'
        '<form method="post">{% csrf_token %}<button type="submit" class="govuk-button'
        '{% if x %} govuk-button--warning{% endif %}" data-module="govuk-button">Save</button>'
        '<button type="button" class="govuk-button">Show</button></form>'
    )
    assert post_form_buttons(text) == [
        '<button type="submit" class="govuk-button{% if x %} govuk-button--warning{% endif %}"'
        ' data-module="govuk-button">'
    ]


def test_every_post_forms_button_prevents_a_double_click():
    missing, seen = [], 0
    for path in sorted((ROOT / "templates").rglob("*.html")):
        for tag in post_form_buttons(path.read_text()):
            seen += 1
            if 'data-prevent-double-click="true"' not in tag or "data-module" not in tag:
                missing.append(f"{path.relative_to(ROOT)}: {tag}")
    assert seen > 50
    assert missing == []
