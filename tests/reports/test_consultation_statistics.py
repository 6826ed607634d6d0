"""Consultations in the statistics (by sector and outcome) and in the compliance report's
referral-pathway section, with the same small-number suppression as the rest (issue 15)."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Role
from reports.compliance import compliance_report, consultation_figures, report_rows
from reports.periods import Period
from reports.selectors import consultation_counts_for, statistics_for
from reports.suppression import SUPPRESSED_MARK, suppress_statistics
from tests.consultations.factories import consultation
from tests.referrals import factories as rf

pytestmark = pytest.mark.django_db
DAY = timezone.localdate() - datetime.timedelta(days=1)
PERIOD = Period(DAY - datetime.timedelta(days=40), DAY)


def _many(officer, la, n, **overrides):
    for _ in range(n):
        consultation(officer, la, consulted_on=DAY, **overrides)


def test_counts_by_sector_and_outcome_in_the_area_and_period(world):
    officer = rf.officer_for(world)
    _many(officer, world.la_a, 3, asker_sector="education")
    _many(officer, world.la_a, 2, asker_sector="health", outcome="no_referral_needed")
    _many(officer, world.la_b, 1, asker_sector="community")
    consultation(officer, world.la_a, consulted_on=PERIOD.start - datetime.timedelta(days=1))
    consultation(rf.officer_for(world, world.police_c), world.la_c, consulted_on=DAY)
    counts = consultation_counts_for(period=PERIOD, local_authority=world.la_a)
    assert counts["total_consultations"] == 5
    assert counts["consultations_by_sector"]["education"] == 3
    assert counts["consultations_by_sector"]["health"] == 2
    assert sum(counts["consultations_by_sector"].values()) == 5
    assert counts["consultations_by_outcome"] == {
        "no_referral_needed": 2,
        "referral_advised": 3,
        "referred_elsewhere": 0,
        "referral_made": 0,
    }
    force = consultation_counts_for(period=PERIOD, police_force=world.force)
    assert force["total_consultations"] == 6


@pytest.mark.parametrize(("education", "shown"), [(4, None), (5, 5)])
def test_suppression_at_the_boundary(world, education, shown):
    """4 is hidden and 5 shown; the hidden cell takes a second with it (secondary), so the
    total minus the shown cells cannot give it back."""
    officer = rf.officer_for(world)
    _many(officer, world.la_a, education, asker_sector="education")
    _many(officer, world.la_a, 10, asker_sector="health", outcome="no_referral_needed")
    _many(officer, world.la_a, 7, asker_sector="police", outcome="no_referral_needed")
    stats = statistics_for(period=PERIOD, local_authority=world.la_a)
    assert stats["consultations_by_sector"]["education"] == education  # exact inside
    shared = suppress_statistics(stats)
    by_sector = shared["consultations_by_sector"]
    assert by_sector["education"] == shown
    if shown is None:
        assert by_sector["police"] is None  # the next smallest goes too
        assert by_sector["health"] == 10
        assert shared["consultations_by_outcome"]["referral_advised"] is None
    else:
        assert by_sector["police"] == 7
        assert shared["consultations_by_outcome"]["referral_advised"] == 5
    assert shared["total_consultations"] == education + 17


@pytest.mark.parametrize(("n", "shown"), [(4, SUPPRESSED_MARK), (5, "5")])
def test_a_small_total_is_suppressed_in_the_compliance_report(world, n, shown):
    _many(rf.officer_for(world), world.la_a, n)
    lead = world.user(Role.BOROUGH_LEAD, agency=world.council_a)
    report = compliance_report(user=lead, local_authority=world.la_a, period=PERIOD)
    pathway = next(s for s in report["sections"] if s["code"] == "referral_pathway")
    assert dict(pathway["figures"])["Consultations before a referral"] == shown
    titles = {table["key"] for table in pathway["tables"]}
    assert {"consultations_by_sector", "consultations_by_outcome"} <= titles
    outcome = next(t for t in pathway["tables"] if t["key"] == "consultations_by_outcome")
    advised = next(row for row in outcome["rows"] if row["code"] == "referral_advised")
    assert advised["shown"] == shown
    assert ["", "Consultations before a referral", shown] in list(report_rows(report))
    page_figures = dict(consultation_figures(local_authority=world.la_a, period=PERIOD))
    assert page_figures["Consultations before a referral"] == shown
    assert page_figures["Consultations: Referral advised"] == shown


def test_the_compliance_page_shows_them_suppressed(world, client):
    _many(rf.officer_for(world), world.la_a, 3)
    client.force_login(world.user(Role.BOROUGH_LEAD, agency=world.council_a))
    page = client.get("/reports/compliance/").content.decode()
    assert "Consultations before a referral" in page
    assert "Consultations: Referral advised" in page


def test_the_statistics_page_api_and_csv_carry_them(world):
    officer = rf.officer_for(world)
    _many(officer, world.la_a, 6, asker_sector="education")
    client = APIClient()
    client.force_login(officer)
    params = {
        "from": PERIOD.start.isoformat(),
        "to": PERIOD.end.isoformat(),
        "local_authority": str(world.la_a.pk),
    }
    page = client.get("/reports/", params).content.decode()
    assert "Consultations by sector of the person who asked" in page
    assert 'data-figure="total_consultations"' in page
    body = client.get("/api/v1/reports/statistics/", params).json()
    assert body["total_consultations"] == 6
    assert body["consultations_by_sector"]["education"] == 6
    assert body["consultations_by_outcome"]["referral_advised"] == 6
    download = client.get("/reports/", {**params, "format": "csv"})
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert ["Total consultations", "", "total", "6"] in rows
    assert ["Consultations by outcome", "Referral advised", "referral_advised", "6"] in rows


def test_a_borough_lead_gets_them_suppressed_from_the_api(world):
    _many(rf.officer_for(world), world.la_a, 3)
    lead = world.user(Role.BOROUGH_LEAD, agency=world.council_a)
    client = APIClient()
    client.force_authenticate(lead)
    params = {"from": PERIOD.start.isoformat(), "to": PERIOD.end.isoformat()}
    body = client.get("/api/v1/reports/statistics/", params).json()
    assert body["total_consultations"] is None
    assert body["consultations_by_outcome"]["referral_advised"] is None
