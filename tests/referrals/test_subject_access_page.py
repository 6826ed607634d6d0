"""The subject access page is a GOV.UK form like every other (issue 19): labelled GOV.UK
inputs, the three-box date input, the format as radios, and on an error the one error
summary whose links land on focusable inputs, with each message beside its field — never
the browser's bare inputs nor Django's default error list."""

from django.urls import reverse
from lxml import html as lxml_html

from tests.referrals import factories as f

URL = reverse("referrals:subject_access")


def _tree(response):
    return lxml_html.fromstring(response.content.decode())


def test_the_form_uses_gov_uk_components(world, client):
    client.force_login(f.officer_for(world))
    tree = _tree(client.get(URL))
    form = tree.xpath("//main//form[@method='post']")[0]
    for name in ("first_name", "last_name", "reason"):
        (box,) = form.xpath(f".//input[@name='{name}']")
        assert "govuk-input" in box.get("class", "")
        assert form.xpath(f".//label[@for='{box.get('id')}'][contains(@class, 'govuk-label')]")
    assert len(form.xpath(".//*[contains(@class, 'govuk-date-input__input')]")) == 3
    formats = form.xpath(".//input[@name='format']")
    assert [(i.get("type"), "govuk-radios__input" in i.get("class")) for i in formats] == [
        ("radio", True),
        ("radio", True),
    ]
    assert not form.xpath(".//input[not(@type='hidden')][not(contains(@class, 'govuk-'))]")


def test_an_empty_request_shows_the_error_summary_linked_to_each_field(world, client):
    client.force_login(f.officer_for(world))
    blank = {"first_name": "", "last_name": "", "reason": "", "format": "pdf"}
    blank |= {f"date_of_birth_{part}": "" for part in range(3)}
    response = client.post(URL, blank)
    assert response.status_code == 400
    tree = _tree(response)
    assert not tree.xpath("//ul[contains(@class, 'errorlist')]")
    links = tree.xpath("//*[contains(@class, 'govuk-error-summary__list')]//a")
    assert len(links) == 4  # first name, last name, date of birth, reason
    for link in links:
        (target,) = tree.xpath("//*[@id=$id]", id=link.get("href").removeprefix("#"))
        assert target.tag in {"input", "select", "textarea"}
        assert target.get("type") != "hidden"
        group = target.xpath("ancestor::*[contains(@class, 'govuk-form-group--error')]")
        assert group
        assert group[-1].xpath(".//*[contains(@class, 'govuk-error-message')]")


def test_a_request_sent_with_nothing_at_all_still_shows_its_errors(world, client):
    client.force_login(f.officer_for(world))
    tree = _tree(client.post(URL, {}))
    assert tree.xpath("//*[contains(@class, 'govuk-error-summary__list')]//a")
