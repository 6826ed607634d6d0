"""The queue's rows, written by ``queue_rows`` rather than the template: same markup, escaped."""

from html.parser import HTMLParser

from referrals.templatetags.queue_tags import queue_rows


def row(**overrides) -> dict:
    values = {
        "url": "/referrals/1/",
        "reference": "PRV-2026-000001",
        "urgent": False,
        "person": "Sam Jones",
        "local_authority": "Camden",
        "agency": "Hill School",
        "sector": "Education",
        "state": "submitted",
        "state_label": "Submitted",
        "clock_label": "",
        "clock_colour": "",
        "clock_overdue": False,
    }
    return {**values, **overrides}


class Cells(HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag == "td":
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "td":
            self.rows[-1].append(" ".join(" ".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def cells(html: str) -> list[list[str]]:
    parser = Cells()
    parser.feed(html)
    return parser.rows


def test_each_row_has_the_six_columns_of_the_table_head():
    html = queue_rows([row(), row(reference="PRV-2026-000002")])
    assert cells(html) == [
        ["PRV-2026-000001", "Sam Jones", "Camden", "Hill School Education", "Submitted", ""],
        ["PRV-2026-000002", "Sam Jones", "Camden", "Hill School Education", "Submitted", ""],
    ]
    assert '<a class="govuk-link" href="/referrals/1/">PRV-2026-000001</a>' in html
    assert '<strong class="govuk-tag govuk-tag--blue">Submitted</strong>' in html


def test_urgent_and_overdue_cases_are_marked_in_words_not_only_colour():
    html = queue_rows(
        [row(urgent=True, clock_label="25 days waiting", clock_colour="red", clock_overdue=True)]
    )
    [[reference, *_rest, clock]] = cells(html)
    assert reference == "PRV-2026-000001 Urgent"
    assert clock == "25 days waiting (overdue)"
    assert '<strong class="govuk-tag govuk-tag--red">25 days waiting</strong>' in html
    assert "Urgent" not in queue_rows([row()])


def test_what_people_typed_is_escaped():
    html = queue_rows([row(person='<script>alert("x")</script>', agency="A & B")])
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "A &amp; B" in html


def test_no_rows_no_markup():
    assert queue_rows([]) == ""
