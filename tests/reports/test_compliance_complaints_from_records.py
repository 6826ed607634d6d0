"""The compliance report's complaints (section 8) and mailing-list (section 6) figures come
from the complaints log and the mailing list (issue 21): a table of records and the figure
each must give, with another authority's records and those outside the period beside them
that must not count."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Role
from partnership.models import Complaint, ContactStatus, MailingContact, MailingSend
from reports.compliance import compliance_report, report_rows
from reports.periods import financial_year_containing

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(world):
    return world.user(Role.BOROUGH_LEAD, agency=world.council_a)


def _records(world, lead):
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    start = financial_year_containing(today).start
    before = start - day  # outside the period

    def complaint(received_on, outcome="", closed_on=None, signposted=False, la=world.la_a):
        Complaint.objects.create(
            local_authority=la,
            received_on=received_on,
            channel="email",
            summary="Briefing cancelled",
            outcome=outcome,
            closed_on=closed_on,
            signposted=signposted,
            created_by=lead,
        )

    complaint(today, signposted=True)  # open
    complaint(today, "upheld", today, signposted=True)
    complaint(start, "not_upheld", today)
    complaint(before, "partly_upheld", today)  # received before, closed in the period
    complaint(before - 10 * day, "withdrawn", before)  # wholly before the period
    complaint(before)  # received before, still open
    complaint(today, "upheld", today, la=world.la_b)  # Southmere's

    now = timezone.now()

    def contact(n, status, confirmed_at=None, la=world.la_a):
        MailingContact.objects.create(
            local_authority=la,
            email=f"person{n}@example.org",
            status=status,
            confirmed_at=confirmed_at,
            unsubscribe_token=f"token-{n}",
        )

    contact(1, ContactStatus.CONFIRMED, now)
    contact(2, ContactStatus.CONFIRMED, now - datetime.timedelta(days=800))
    contact(3, ContactStatus.PENDING)
    contact(4, ContactStatus.UNSUBSCRIBED, now)
    contact(5, ContactStatus.CONFIRMED, now, la=world.la_b)
    MailingSend.objects.create(local_authority=world.la_a, sent_by=lead)
    MailingSend.objects.create(local_authority=world.la_a, sent_by=lead)
    old = MailingSend.objects.create(local_authority=world.la_a, sent_by=lead)
    MailingSend.objects.filter(pk=old.pk).update(
        sent_at=timezone.make_aware(datetime.datetime.combine(before, datetime.time(12)))
    )
    MailingSend.objects.create(local_authority=world.la_b, sent_by=lead)


EXPECTED = [
    ("communications", "Complaints received in the period", "3"),
    (
        "communications",
        "Complaints received in the period: told of the national complaints route",
        "2",
    ),
    ("communications", "Complaints closed in the period", "3"),
    ("communications", "Complaints closed in the period: Upheld", "1"),
    ("communications", "Complaints closed in the period: Partly upheld", "1"),
    ("communications", "Complaints closed in the period: Not upheld", "1"),
    ("communications", "Complaints closed in the period: Withdrawn", "0"),
    (
        "communications",
        "Complaints closed in the period: Taken to the Prevent Standards and Compliance Unit",
        "0",
    ),
    ("communications", "Complaints open today", "2"),
    ("training", "People on the outreach mailing list today", "2"),
    # person4 confirmed in the period too, then unsubscribed: they joined all the same.
    ("training", "People who joined the mailing list in the period", "2"),
    ("training", "Reminders sent to the mailing list in the period", "2"),
]


def _figures(world, lead):
    period = financial_year_containing(timezone.localdate())
    report = compliance_report(user=lead, local_authority=world.la_a, period=period)
    return report, {s["code"]: dict(s["figures"]) for s in report["sections"]}


@pytest.mark.parametrize(("section", "label", "value"), EXPECTED, ids=[e[1] for e in EXPECTED])
def test_the_report_figures_match_the_records(world, lead, section, label, value):
    _records(world, lead)
    _report, figures = _figures(world, lead)
    assert figures[section][label] == value


def test_the_export_lists_the_complaints_figures_in_section_8(world, lead):
    _records(world, lead)
    report, _figures_by_code = _figures(world, lead)
    rows = list(report_rows(report))
    section = rows[rows.index(["8. Communications and engagement"]) :]
    assert ["", "Complaints open today", "2"] in section
