"""Measurements of one dataset, run inside Django: ``python -m bench.measure NAME`` prints JSON.

Each timing is repeated; ``bench.run`` compares datasets and writes the table.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import sys
import time

REPEAT = int(os.environ.get("BENCH_REPEAT", "40"))
RAW_QUEUE_SQL = """
SELECT r.id, r.reference, r.state, r.urgent, r.submitted_at, s.first_name, s.last_name,
       la.name, ag.name
FROM referrals_referral r
JOIN referrals_subject s ON s.id = r.subject_id
JOIN accounts_localauthority la ON la.id = r.local_authority_id
JOIN accounts_agency ag ON ag.id = r.referrer_agency_id
WHERE r.police_force_id = %s AND r.state NOT IN ('draft', 'closed')
ORDER BY r.urgent DESC, r.submitted_at, r.id
LIMIT 25
"""


def timed(fn, repeat: int = REPEAT, warmup: int | None = None) -> dict:
    if warmup is None:
        warmup = 3 if repeat >= 10 else int(os.environ.get("BENCH_WARMUP", "1"))
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {
        "median_ms": round(statistics.median(samples), 3),
        "p95_ms": round(samples[min(len(samples) - 1, int(len(samples) * 0.95))], 3),
        "n": repeat,
    }


def timed_together(fns: dict, repeat: int = REPEAT, warmup: int = 3) -> dict:
    """Like ``timed`` for several functions whose timings are compared: one sample of each in
    turn, so a slow moment of the machine falls on all of them alike, not on one series."""
    for _ in range(warmup):
        for fn in fns.values():
            fn()
    samples: dict = {name: [] for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            samples[name].append((time.perf_counter() - start) * 1000)
    out = {}
    for name, values in samples.items():
        values.sort()
        out[name] = {
            "median_ms": round(statistics.median(values), 3),
            "p95_ms": round(values[min(len(values) - 1, int(len(values) * 0.95))], 3),
            "n": repeat,
        }
    return out


def main(name: str) -> dict:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from accounts.models import PoliceForce, User
    from channel.models import Panel
    from persons.models import Person
    from referrals.models import Referral
    from referrals.selectors import referral_possible_duplicates

    out: dict = {"dataset": name, "referrals": Referral.objects.count()}

    with override_settings(ROOT_URLCONF="bench.urls", ALLOWED_HOSTS=["testserver"]):
        # The busiest force: the most open cases in its queue.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT police_force_id FROM referrals_referral WHERE state NOT IN"
                " ('draft','closed') GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"
            )
            force = PoliceForce.objects.get(pk=cursor.fetchone()[0])
        officer = User.objects.filter(
            role_grants__role="prevent_officer", agency__local_authority__police_force=force
        ).order_by("username")[0]
        client = Client()
        client.force_login(officer)

        def queue():
            response = client.get("/referrals/queue/")
            assert response.status_code == 200, response.status_code

        def floor():
            response = client.get(f"/__bench__/floor/{force.pk}/")
            assert response.status_code == 200

        def raw():
            with connection.cursor() as cursor:
                cursor.execute(RAW_QUEUE_SQL, [force.pk])
                assert len(cursor.fetchall()) <= 25  # 25 at any real scale

        def today():  # the officer's Today page (issue 17): the home page
            response = client.get("/")
            assert response.status_code == 200, response.status_code

        # 8 (issue 18): the newest referral in the force matched against the whole person
        # index, as its case page does: the indexed candidate search, the scoring, and the
        # reader's scope. Timed with the queue page it must stay under.
        newest = (
            Referral.objects.filter(police_force=force, submitted_at__isnull=False)
            .select_related("subject")
            .order_by("-submitted_at", "-id")
            .first()
        )

        def match():
            referral_possible_duplicates(officer, newest)

        out.update(
            timed_together(
                {"queue": queue, "floor": floor, "raw_sql": raw, "today": today, "match": match}
            )
        )
        out["persons"] = Person.objects.count()
        out["match_candidates"] = len(referral_possible_duplicates(officer, newest).matches)
        with CaptureQueriesContext(connection) as captured:
            match()
        out["match_queries"] = len(captured)
        with CaptureQueriesContext(connection) as captured:
            today()
        # Reads only: whether the page writes an audit event depends on whether it names a
        # case, which is the data's doing, not the scale's.
        out["today_reads"] = sum(
            1 for query in captured.captured_queries if query["sql"].startswith("SELECT")
        )

        # 3: query counts of the case page (officer) and a panel member's agenda.
        case = (
            Referral.objects.filter(police_force=force, adopted_at__isnull=False)
            .order_by("submitted_at", "id")
            .first()
        )
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/referrals/{case.pk}/").status_code == 200
        out["case_page_queries"] = len(captured)
        out.update(case_page_with_audit_events(force, client, case))
        panel = (
            Panel.objects.filter(local_authority__police_force=force, agenda__isnull=False)
            .order_by("-date", "id")
            .first()
        )
        member = panel.members.order_by("username").first()
        member_client = Client()
        member_client.force_login(member)
        with CaptureQueriesContext(connection) as captured:
            status = member_client.get(f"/channel/panels/{panel.pk}/").status_code
            assert status == 200, status
        out["agenda_queries"] = len(captured)
        out["agenda_items"] = panel.agenda.count()

    parts = os.environ.get("BENCH_PARTS", "stats,export,pack").split(",")
    if "stats" in parts:
        out.update(statistics_measurements(force))
    if name == "stress" and "export" in parts:
        from .export import export_measurements

        out.update(export_measurements(force, timed, min(REPEAT, 3)))
    if name == "stress" and "pack" in parts:
        out.update(pack_measurement(force))
    return out


AUDIT_EVENTS = 5_000


def case_page_with_audit_events(force, client, case) -> dict:
    """3b (issue 25): the case page of a case read 5,000 times against one barely read.

    Two cases timed in turn (``timed_together``), so the machine's moments fall on both; the
    page must cost the same: it shows who has seen the case as a summary, never the log.
    """
    from accounts.models import User
    from prevent_cms.audit import audit_record_many
    from referrals.models import Referral

    busy = (
        Referral.objects.filter(police_force=force, adopted_at__isnull=False)
        .exclude(pk=case.pk)
        .order_by("submitted_at", "id")
        .first()
    )
    if busy is None:  # a dataset too small for two adopted cases
        return {}
    actors = list(User.objects.filter(is_active=True).order_by("username")[:5])
    for actor in actors:  # as the reads would have written them: the trail and its tally
        audit_record_many(
            actor=actor,
            action="referral.viewed",
            targets=[busy] * (AUDIT_EVENTS // len(actors)),
            detail={"via": "page"},
        )

    def page(referral):
        def get():
            response = client.get(f"/referrals/{referral.pk}/")
            assert response.status_code == 200, response.status_code
            sizes[referral.pk] = len(response.content)

        return get

    sizes: dict = {}
    timings = timed_together(
        {"case_page_quiet": page(case), "case_page_read_5000": page(busy)},
        repeat=min(REPEAT, 20),
    )
    return {
        **timings,
        "case_page_quiet_bytes": sizes[case.pk],
        "case_page_read_5000_bytes": sizes[busy.pk],
    }


def pack_measurement(force) -> dict:
    """6: a panel pack of ``BENCH_PACK_CASES`` (20) cases against WeasyPrint on the same HTML.

    The pack is the chair's, so every case on it must be one the chair sees in full: Channel
    cases of the local authority with the most of them (open ones first). Recent referrals of
    the area would mostly never have reached Channel and be left out of the chair's pack,
    timing a pack of a few cases. ``pack_cases`` is the number of cases the pack shows and
    ``pack_queries`` the queries it costs. The WeasyPrint side gets exactly the HTML
    ``render_pack`` renders, with the same base URL and fetcher, so the ratio is the app's own
    cost: queries and template.

    The agenda is filled inside a transaction that is rolled back: the dataset is unchanged.
    """
    from django.db import connection, transaction
    from django.db.models import Case, Count, IntegerField, Value, When
    from django.template.loader import render_to_string
    from django.test.utils import CaptureQueriesContext

    from channel import pdf
    from channel.models import AgendaItem, Panel
    from prevent_cms.pdf import render_pdf
    from referrals.choices import CHANNEL_STAGES
    from referrals.models import Referral

    cases = int(os.environ.get("BENCH_PACK_CASES", "20"))
    repeat = max(1, min(REPEAT, 5))
    out: dict = {}
    in_channel = Referral.objects.filter(police_force=force, channel_entered_at__isnull=False)
    busiest = (
        in_channel.filter(local_authority__in=Panel.objects.values("local_authority"))
        .values("local_authority")
        .annotate(n=Count("id"))
        .order_by("-n", "local_authority")[0]["local_authority"]
    )
    with transaction.atomic():
        panels = Panel.objects.filter(local_authority=busiest).order_by("date", "id")
        panel = panels.filter(held_at__isnull=True).first() or panels.last()
        AgendaItem.objects.filter(panel=panel).delete()
        chosen = (
            in_channel.filter(local_authority=busiest)
            .annotate(
                closed=Case(
                    When(state__in=CHANNEL_STAGES, then=Value(0)),
                    default=Value(1),
                    output_field=IntegerField(),
                )
            )
            .order_by("closed", "-channel_entered_at", "id")[:cases]
        )
        AgendaItem.objects.bulk_create(
            AgendaItem(panel=panel, referral=r, order=k) for k, r in enumerate(chosen)
        )
        chair = panel.chair
        on = panel.date
        with CaptureQueriesContext(connection) as captured:
            context = pdf.pack_context(panel, chair, on)
            html = render_to_string("channel/pack.html", context)
        out["pack_cases"] = len(context["cases"])
        out["pack_queries"] = len(captured)
        runs = {
            "pack": lambda: pdf.render_pack(panel, chair, on),
            "weasyprint": lambda: render_pdf(html=html),
        }
        # In turn, so load from other work on the machine's two cores falls on both alike.
        out.update(timed_together(runs, repeat, warmup=1))
        transaction.set_rollback(True)
    return out


def timed_pair(app, hand, repeat: int, budget_s: float, warmup: int | None = None):
    """``timed`` for two functions measured alternately (each goes first every other time),
    so a burst of load from elsewhere on the machine falls on both sides of the ratio.

    At least ``repeat`` pairs; fast pairs keep being sampled, up to 300, while the time
    budget lasts: a borough's statistics take milliseconds, where one busy moment on a
    shared 2-core machine would otherwise move the median.
    """
    if warmup is None:
        warmup = 3 if repeat >= 10 else int(os.environ.get("BENCH_WARMUP", "1"))
    for _ in range(warmup):
        app()
        hand()
    samples: dict = {"app": [], "hand": []}
    began = time.perf_counter()
    while len(samples["app"]) < repeat or (
        len(samples["app"]) < 300 and time.perf_counter() - began < budget_s
    ):
        pair = (("app", app), ("hand", hand))
        for name, fn in pair if len(samples["app"]) % 2 else reversed(pair):
            start = time.perf_counter()
            fn()
            samples[name].append((time.perf_counter() - start) * 1000)
    out = []
    for name in ("app", "hand"):
        values = sorted(samples[name])
        out.append(
            {
                "median_ms": round(statistics.median(values), 3),
                "p95_ms": round(values[min(len(values) - 1, int(len(values) * 0.95))], 3),
                "n": len(values),
            }
        )
    return out[0], out[1]


def statistics_measurements(force) -> dict:
    """4: the statistics tables of one local authority and of the whole force, each in one
    ORM query (``statistics_counts_for``), against one hand-written GROUPING SETS query that
    produces the same tables; the busiest force and its first local authority, 2024/25.

    ``stats_*_tables`` adds the concern-type scheme lookup that lays the concern table out
    for the page (``statistics_tables_for``, a second small query); reported, not bounded.
    """
    from django.db import connection

    from accounts.models import LocalAuthority
    from reports.periods import Period
    from reports.selectors import TABLES, statistics_counts_for, statistics_tables_for

    from .stats_sql import hand_statistics

    period = Period(start=dt.date(2024, 4, 1), end=dt.date(2025, 3, 31))
    la = LocalAuthority.objects.filter(police_force=force).order_by("name").first()
    repeat = min(max(REPEAT // 2, 3), 30)
    # (scope, hand SQL column and value, least pairs, warm-up): a force at 1,000,000
    # referrals takes seconds a side, so it gets fewer pairs than a local authority.
    scopes = {
        "la": ({"local_authority": la}, "local_authority_id", la.pk, repeat, None),
        "force": ({"police_force": force}, "police_force_id", force.pk, max(3, repeat // 3), 1),
    }
    out: dict = {}
    same = True
    for name, (kwargs, column, value, pairs, warmup) in scopes.items():
        out[f"stats_{name}"], out[f"stats_{name}_sql"] = timed_pair(
            lambda k=kwargs: statistics_counts_for(period=period, **k),
            lambda c=column, v=value: hand_statistics(connection, c, v, period),
            pairs,
            budget_s=min(4.0, REPEAT / 10),
            warmup=warmup,
        )
        out[f"stats_{name}_tables"] = timed(
            lambda k=kwargs: statistics_tables_for(period=period, **k), min(pairs, 10), 1
        )
        # The hand SQL must produce the same tables (it leaves out the zero cells).
        app = statistics_counts_for(period=period, **kwargs)
        hand = hand_statistics(connection, column, value, period)
        out[f"stats_{name}_referrals"] = app["total_referrals"]
        same = same and all(
            app[key]
            == ({**dict.fromkeys(app[key], 0), **hand[key]} if key in TABLES else hand[key])
            for key in hand
        )
    out["stats_same_tables"] = same
    return out


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))
