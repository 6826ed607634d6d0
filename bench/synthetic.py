"""Synthetic national-scale data for benchmarks (issue 8), written with PostgreSQL COPY.

Shape: 11 counter-terrorism policing regions, about 170 local authorities, agencies of every
sector, users of every role, and referrals whose sector, type of concern, age, gender and
journey follow DOMAIN.md §Statistics (about 15% reach a panel, about 10% adopted), with their
histories, police assessments, panels and agendas, consents, support plans, interventions,
reviews, panel-member grants, audit events and training records.

Deterministic for a seed: one ``random.Random(seed)``, ids built from the seed and a row
counter, and a fixed "today" (``END``) instead of the clock. Nothing here is a real person:
names are drawn from short fixed lists and postcodes are not real.

Rows are formatted as COPY text in Python and streamed with psycopg 3 ``cursor.copy``; the
columns of each table come from the model's ``_meta`` so a field added later with a default
is filled from that default. Foreign-key triggers are skipped (``session_replication_role``)
because the generator builds consistent rows itself.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import time
import uuid
from collections.abc import Callable, Iterable

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction

from persons.matching import phonetic

END = dt.datetime(2026, 3, 31, 12, 0, tzinfo=dt.UTC)  # the synthetic "today"
YEARS = 10
PASSWORD = "synthetic-bench-password"  # noqa: S105 - throwaway benchmark accounts only

REGIONS = [
    "North East",
    "North West",
    "Yorkshire and the Humber",
    "East Midlands",
    "West Midlands",
    "Eastern",
    "London",
    "South East",
    "South West",
    "Wales",
    "Thames Valley",
]
LA_PER_REGION = [12, 33, 21, 9, 14, 11, 33, 9, 10, 12, 6]  # 170 local authorities

SECTORS = [
    ("education", 0.37),
    ("police", 0.14),
    ("local_authority", 0.10),
    ("health", 0.11),
    ("community", 0.03),
    ("friends_and_family", 0.04),
    ("prisons", 0.02),
    ("probation", 0.03),
    ("other", 0.16),
]
CONCERNS = [
    ("islamist", 0.12),
    ("extreme_right_wing", 0.19),
    ("left_wing", 0.01),
    ("other_ideology", 0.02),
    ("conflicted", 0.03),
    ("school_massacre", 0.03),
    ("extreme_violence_fascination", 0.08),
    ("no_ideology_vulnerability", 0.36),
    ("high_ct_risk_no_ideology", 0.01),
    ("unclear", 0.15),
]
AGES = [  # (low, high, weight); None = unknown date of birth
    (7, 10, 0.04),
    (11, 15, 0.36),
    (16, 17, 0.13),
    (18, 20, 0.10),
    (21, 30, 0.15),
    (31, 40, 0.10),
    (41, 50, 0.06),
    (51, 60, 0.03),
    (61, 80, 0.02),
    (None, None, 0.01),
]
GENDERS = [("male", 0.89), ("female", 0.095), ("other", 0.005), ("not_known", 0.01)]
FIRST = [
    "Aaron",
    "Adam",
    "Ali",
    "Amir",
    "Ben",
    "Callum",
    "Charlie",
    "Connor",
    "Daniel",
    "Dylan",
    "Ethan",
    "Finley",
    "George",
    "Harry",
    "Isaac",
    "Jack",
    "Jacob",
    "James",
    "Jamie",
    "Joseph",
    "Kai",
    "Kyle",
    "Leo",
    "Liam",
    "Lewis",
    "Luke",
    "Mason",
    "Mohammed",
    "Noah",
    "Oliver",
    "Owen",
    "Reece",
    "Riley",
    "Ryan",
    "Sam",
    "Thomas",
    "Tyler",
    "Zak",
    "Amelia",
    "Chloe",
    "Ella",
    "Grace",
    "Isla",
    "Lily",
    "Mia",
    "Olivia",
]
LAST = [
    "Ahmed",
    "Allen",
    "Bailey",
    "Baker",
    "Bell",
    "Brown",
    "Clarke",
    "Cooper",
    "Davies",
    "Edwards",
    "Evans",
    "Green",
    "Hall",
    "Harris",
    "Hill",
    "Hughes",
    "Hussain",
    "Jackson",
    "James",
    "Johnson",
    "Jones",
    "Khan",
    "King",
    "Lewis",
    "Martin",
    "Morgan",
    "Morris",
    "Patel",
    "Price",
    "Roberts",
    "Robinson",
    "Scott",
    "Shaw",
    "Smith",
    "Taylor",
    "Thomas",
    "Thompson",
    "Turner",
    "Walker",
    "Ward",
    "White",
    "Williams",
    "Wilson",
    "Wood",
    "Wright",
    "Young",
]
TEXT = (
    "Concern raised after remarks in class and material shared online. "
    "The school has spoken with the family and the designated safeguarding lead."
)

# Journey, by what happens after police assessment (fractions of assessed referrals).
DECISIONS = [("close", 0.72), ("police_led", 0.11), ("channel", 0.17)]
ADOPT_RATE = 0.62  # of panel cases, so about 10% of referrals are adopted
REFERRED_AGAIN = 20  # one referral in 20 is of someone referred before (issue 18)


def _weights(pairs):
    codes = [code for code, _w in pairs]
    cum, total = [], 0.0
    for _code, weight in pairs:
        total += weight
        cum.append(total)
    return codes, cum


class Ids:
    """Deterministic UUIDs: seed hash in the top 64 bits, a table tag and a counter below."""

    def __init__(self, seed: int):
        self.prefix = int.from_bytes(hashlib.sha256(f"prevent-{seed}".encode()).digest()[:8])

    def make(self, tag: int, n: int) -> str:
        return str(uuid.UUID(int=(self.prefix << 64) | (tag << 48) | n))


def _enc(value) -> str:
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, list | dict):
        return json.dumps(value)
    return str(value)


class Table:
    """Buffers rows for one model's table and COPYs them in chunks."""

    CHUNK = 20000

    def __init__(self, cursor, model_or_table, columns: list[str] | None = None):
        if isinstance(model_or_table, str):
            self.table, self.columns, self.defaults = model_or_table, columns, {}
        else:
            self.table = model_or_table._meta.db_table
            self.columns, self.defaults = [], {}
            for field in model_or_table._meta.concrete_fields:
                if isinstance(field, models.AutoField | models.BigAutoField):
                    continue
                self.columns.append(field.column)
                self.defaults[field.column] = _default(field)
        self.cursor, self.buffer, self.count = cursor, [], 0

    def add(self, **values) -> None:
        defaults = self.defaults
        self.buffer.append(
            "\t".join(
                values[c] if c in values else defaults[c]
                for c in self.columns  # values are already COPY-encoded strings
            )
        )
        if len(self.buffer) >= self.CHUNK:
            self.flush()

    def add_raw(self, *values: str) -> None:
        self.buffer.append("\t".join(values))
        if len(self.buffer) >= self.CHUNK:
            self.flush()

    def flush(self) -> None:
        if not self.buffer:
            return
        columns = ", ".join(f'"{c}"' for c in self.columns)
        sql = f'COPY "{self.table}" ({columns}) FROM STDIN'
        with self.cursor.copy(sql) as copy:
            copy.write("\n".join(self.buffer) + "\n")
        self.count += len(self.buffer)
        self.buffer = []


def _default(field) -> str:
    if field.has_default():
        default = field.get_default()
        if isinstance(default, dt.datetime):
            return END.isoformat()
        return _enc(default)
    if isinstance(field, models.DateTimeField | models.DateField) and (
        getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ):
        return END.isoformat()
    if field.null:
        return r"\N"
    if isinstance(field, models.CharField | models.TextField | models.FileField):
        return ""
    if isinstance(field, models.BooleanField):
        return "f"
    return r"\N"  # a NOT NULL column with no default must be given by the generator


def generate(
    *,
    referrals: int,
    seed: int,
    regions: int = len(REGIONS),
    log: Callable[[str], None] = print,
    persons: bool = True,
) -> dict:
    """Write the whole synthetic dataset into an empty, migrated database. Returns counts.

    ``regions`` below 11 keeps only the first few regions: a cheap shape for tests.
    ``persons=False`` leaves the person index empty, as the data was before issue 18 (the
    migration that fills it is tested on such a copy).
    """
    from reports.rollup import statistics_rollup_rebuild

    started = time.monotonic()
    with transaction.atomic(), connection.cursor() as django_cursor:
        cursor = django_cursor.cursor  # the psycopg 3 cursor
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if cursor.fetchone()[0]:  # otherwise keep FK checks: correct, only slower
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        indexes = _drop_secondary_indexes(cursor, BULK_TABLES)
        counts = Generator(
            cursor, referrals=referrals, seed=seed, regions=regions, log=log, persons=persons
        ).run()
        log(f"indexes ({time.monotonic() - started:.0f} s so far)")
        for definition in indexes:
            cursor.execute(definition)
        # The statistics rollup (issue 25) as the app keeps it: the load ran without its
        # triggers (replica role), so it is written once from the loaded rows.
        log(f"statistics rollup ({time.monotonic() - started:.0f} s so far)")
        cursor.execute("ANALYZE")
        statistics_rollup_rebuild()
    with connection.cursor() as cursor:
        log(f"analyse ({time.monotonic() - started:.0f} s so far)")
        cursor.execute("ANALYZE")
    counts["seconds"] = round(time.monotonic() - started, 1)
    return counts


# The tables with a row or more per referral: their secondary indexes are built after the load.
BULK_TABLES = [
    "referrals.Subject",
    "referrals.Referral",
    "referrals.ReferralTransition",
    "referrals.PoliceAssessment",
    "referrals.ReferralUserObjectPermission",
    "prevent_cms.AuditEvent",
    "channel.AgendaItem",
    "persons.PersonName",
    "persons.PersonAddress",
]


def _drop_secondary_indexes(cursor, labels: list[str]) -> list[str]:
    """Drop the plain (non-constraint) indexes of these tables; return how to recreate them.

    Building an index once after COPY is several times cheaper than maintaining it row by
    row. Primary keys and unique constraints stay, so the load is still checked.
    """
    tables = [apps.get_model(label)._meta.db_table for label in labels]
    cursor.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i"
        " JOIN pg_class t ON t.oid = i.indrelid"
        " WHERE t.relname = ANY(%s) AND NOT i.indisprimary AND NOT EXISTS"
        " (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
        [tables],
    )
    found = cursor.fetchall()
    for name, _definition in found:
        cursor.execute(f"DROP INDEX {name}")
    return [definition for _name, definition in found]


class Generator:
    def __init__(self, cursor, *, referrals: int, seed: int, regions: int, log, persons=True):
        self.cursor, self.n, self.seed, self.log = cursor, referrals, seed, log
        self.regions, self.persons = regions, persons
        self.rng = random.Random(seed)
        self.ids = Ids(seed)
        self.started = time.monotonic()

    def model(self, label: str):
        return apps.get_model(label)

    def table(self, label: str) -> Table:
        return Table(self.cursor, self.model(label))

    def step(self, what: str) -> None:
        self.log(f"{what} ({time.monotonic() - self.started:.0f} s)")

    # --- reference data, organisations, users ----------------------------------------------

    def run(self) -> dict:
        if self.model("referrals.Referral").objects.exists():
            raise RuntimeError("the synthetic generator needs a database with no referrals")
        self.organisations()
        self.step("organisations and users")
        self.referrals()
        self.step("referrals and their histories")
        self.training()
        self.step("training records")
        return {"referrals": self.n, "local_authorities": len(self.las), "users": self.n_users}

    def organisations(self) -> None:
        ids = self.ids
        forces = self.table("accounts.PoliceForce")
        las = self.table("accounts.LocalAuthority")
        agencies = self.table("accounts.Agency")
        self.forces, self.las = [], []  # las: dicts with what referrals need
        n_la = 0
        regions = list(zip(REGIONS, LA_PER_REGION, strict=True))[: self.regions]
        for f, (region, n) in enumerate(regions):
            fid = ids.make(1, f)
            forces.add(id=fid, name=f"{region} (synthetic)")
            self.forces.append(fid)
            for i in range(n):
                lid = ids.make(2, n_la)
                las.add(id=lid, name=f"{region} borough {i + 1:02d}", police_force_id=fid)
                self.las.append({"id": lid, "force": fid, "n": n_la, "agencies": {}})
                n_la += 1
        # Every sector in every local authority, with extra schools and health services.
        layout = [code for code, _w in SECTORS] + ["education", "education", "health"]
        n_ag = 0
        for la in self.las:
            for k, sector in enumerate(layout):
                aid = ids.make(3, n_ag)
                n_ag += 1
                agencies.add(
                    id=aid,
                    name=f"{sector.replace('_', ' ').title()} agency {k + 1}",
                    sector=sector,
                    local_authority_id=la["id"],
                )
                la["agencies"].setdefault(sector, []).append(aid)
        for t in (forces, las, agencies):
            t.flush()
        self.users(n_ag)

    def users(self, n_ag: int) -> None:
        ids = self.ids
        users = self.table("accounts.User")
        grants = self.table("accounts.RoleGrant")
        password = make_password(PASSWORD)
        n = 0

        def user(agency: str, roles: Iterable[str], username: str) -> str:
            nonlocal n
            uid = ids.make(4, n)
            n += 1
            users.add(
                id=uid,
                password=password,
                username=username,
                first_name=FIRST[n % len(FIRST)],
                last_name=LAST[n % len(LAST)],
                email=f"{username}@synthetic.invalid",
                is_active="t",
                is_staff="f",
                is_superuser="f",
                date_joined=END.isoformat(),
                agency_id=agency,
            )
            for role in roles:
                grants.add(user_id=uid, role=role)
            return uid

        self.admin = user(self.las[0]["agencies"]["local_authority"][0], ["system_admin"], "admin")
        for la in self.las:
            k = la["n"]
            ag = la["agencies"]
            la["referrers"] = {}
            for sector, agency_ids in ag.items():
                for j, aid in enumerate(agency_ids):
                    la["referrers"].setdefault(sector, []).append(
                        (aid, user(aid, ["referrer"], f"ref-{k}-{sector}-{j}"))
                    )
                    user(aid, ["agency_lead", "referrer"], f"lead-{k}-{sector}-{j}")
            police = ag["police"][0]
            la["officers"] = [
                user(police, ["prevent_officer"], f"officer-{k}-{j}") for j in range(2)
            ]
            council = ag["local_authority"][0]
            la["chair"] = user(council, ["channel_chair"], f"chair-{k}")
            la["borough_lead"] = user(council, ["borough_lead"], f"boroughlead-{k}")
            la["members"] = [
                user(ag[s][0], ["panel_member"], f"member-{k}-{s}")
                for s in ("local_authority", "health", "education", "police", "probation")
            ]
            la["provider"] = user(ag["community"][0], ["intervention_provider"], f"provider-{k}")
        users.flush()
        grants.flush()
        self.n_users = n

    # --- referrals --------------------------------------------------------------------------

    def referrals(self) -> None:
        rng, ids, n = self.rng, self.ids, self.n
        T = {
            name: self.table(label)
            for name, label in [
                ("subject", "referrals.Subject"),
                ("referral", "referrals.Referral"),
                ("transition", "referrals.ReferralTransition"),
                ("assessment", "referrals.PoliceAssessment"),
                ("agenda", "channel.AgendaItem"),
                ("consent", "channel.Consent"),
                ("plan", "channel.SupportPlan"),
                ("intervention", "channel.Intervention"),
                ("session", "channel.InterventionSession"),
                ("review", "channel.Review"),
                ("vaf", "channel.VulnerabilityAssessment"),
                ("audit", "prevent_cms.AuditEvent"),
                ("grant", "referrals.ReferralUserObjectPermission"),
                ("person", "persons.Person"),
                ("person_name", "persons.PersonName"),
                ("person_address", "persons.PersonAddress"),
            ]
        }
        self.panels()
        permission_id = self._permission_id()
        sector_codes, sector_cum = _weights(SECTORS)
        concern_codes, concern_cum = _weights(CONCERNS)
        gender_codes, gender_cum = _weights(GENDERS)
        age_cum = _weights([(a, w) for a, _h, w in AGES])[1]
        decision_codes, decision_cum = _weights(DECISIONS)
        choose = rng.choices
        rand = rng.random
        span = YEARS * 365 * 86400
        las = self.las
        # Bigger authorities see more referrals (London boroughs and the North West).
        la_weights = [1.0 + (la["n"] % 7) / 3 for la in las]
        la_cum = _weights([(i, w) for i, w in enumerate(la_weights)])[1]
        la_picks = choose(range(len(las)), cum_weights=la_cum, k=n)
        years = [(END.year - YEARS + i) for i in range(YEARS + 1)]
        ref_seq = dict.fromkeys(years + [END.year + 1], 0)
        T_sub, T_ref, T_tr, T_as, T_audit = (
            T["subject"],
            T["referral"],
            T["transition"],
            T["assessment"],
            T["audit"],
        )
        empty_payload = "{}"
        # The person index (issue 18): a person per referral, as the migration made them, with
        # the phonetic keys matching searches by. One referral in REFERRED_AGAIN is of the
        # person referred just before it, in the same area (its own person until linked).
        first_keys = {name: phonetic(name) for name in FIRST}
        last_keys = {name: phonetic(name) for name in LAST}
        earlier: tuple | None = None

        for i in range(n):
            la = las[la_picks[i]]
            # Submitted uniformly over ten years, slightly more recently (referrals grow).
            submitted = END - dt.timedelta(seconds=int(span * (rand() ** 1.15)))
            sector = choose(sector_codes, cum_weights=sector_cum)[0]
            referrer_agency, referrer = rng.choice(la["referrers"][sector])
            gender = choose(gender_codes, cum_weights=gender_cum)[0]
            low, high, _w = AGES[choose(range(len(AGES)), cum_weights=age_cum)[0]]
            dob = (
                None
                if low is None
                else (
                    submitted.date()
                    - dt.timedelta(days=int(365.25 * (low + rand() * (high - low + 1))))
                )
            )
            concern = choose(concern_codes, cum_weights=concern_cum)[0]
            sid, rid = ids.make(10, i), ids.make(11, i)
            age_days = (END - submitted).days
            year = submitted.year
            ref_seq[year] += 1
            reference = f"PRV-{year}-{ref_seq[year]:06d}"
            first, last = FIRST[i % len(FIRST)], LAST[(i * 7) % len(LAST)]
            postcode = f"ZZ{i % 99} {i % 9}AA"
            if earlier is not None and i % REFERRED_AGAIN == 1:
                first, last, dob, postcode, la = earlier
            earlier = (first, last, dob, postcode, la)
            T_sub.add(
                id=sid,
                first_name=first,
                last_name=last,
                date_of_birth=_enc(dob),
                gender=gender,
                postcode=postcode,
                local_authority_id=la["id"],
            )
            pid = ids.make(20, i) if self.persons else None
            if pid is not None:
                T["person"].add(id=pid, created_at=submitted.isoformat())
                T["person_name"].add(
                    person_id=pid,
                    referral_id=rid,
                    first_name=first,
                    last_name=last,
                    is_alias="f",
                    date_of_birth=_enc(dob),
                    first_key=first_keys[first],
                    last_key=last_keys[last],
                )
                T["person_address"].add(
                    person_id=pid,
                    referral_id=rid,
                    postcode=postcode.replace(" ", ""),
                    lived_from=submitted.date().isoformat(),
                )
            officer = la["officers"][i & 1]
            history = [("submit", "draft", "submitted", referrer, submitted)]
            r = {
                "assessment_started_at": None,
                "decided_at": None,
                "channel_entered_at": None,
                "adopted_at": None,
                "exited_at": None,
                "closure_reason": "",
                "signposted_to": "",
                "closed_at": None,
                "assigned_officer_id": None,
            }
            state = "submitted"
            t = submitted + dt.timedelta(hours=2 + rand() * 70)
            # Recent referrals are still on their way; older ones mostly closed.
            if t < END and not (age_days < 3 and rand() < 0.7):
                state = "police_assessment"
                r["assessment_started_at"] = t
                r["assigned_officer_id"] = officer
                history.append(("start_assessment", "submitted", state, officer, t))
                t += dt.timedelta(days=2 + rand() * 20)
                if t < END:
                    T_as.add(
                        id=ids.make(12, i),
                        referral_id=rid,
                        officer_id=officer,
                        deconfliction="cleared",
                        concern_type_id=concern,
                        screening="clear_vulnerability",
                        vulnerabilities="[]",
                        risk_summary="Assessed from the referral and police systems.",
                        created_at=t.isoformat(),
                    )
                    decision = choose(decision_codes, cum_weights=decision_cum)[0]
                    r["decided_at"] = t
                    if decision == "close":
                        reason = "signposted" if rand() < 0.45 else "no_further_action"
                        state = self._close(r, history, state, reason, officer, t)
                        if reason == "signposted":
                            r["signposted_to"] = "childrens_social_care"
                    elif decision == "police_led":
                        history.append(("police_led_partnership", state, "police_led", officer, t))
                        state = "police_led"
                        t += dt.timedelta(days=30 + rand() * 150)
                        if t < END:
                            state = self._close(r, history, state, "risk_reduced", officer, t)
                    else:
                        state = self._channel(
                            i, rid, la, r, history, state, officer, t, T, permission_id
                        )
            T_ref.add(
                id=rid,
                reference=reference,
                state=state,
                version=str(len(history)),
                subject_id=sid,
                referrer_id=referrer,
                referrer_agency_id=referrer_agency,
                local_authority_id=la["id"],
                police_force_id=la["force"],
                person_id=_enc(pid),
                concern_summary=TEXT,
                concern_types=f'["{concern}"]',
                urgent="t" if rand() < 0.04 else "f",
                created_at=submitted.isoformat(),
                updated_at=history[-1][4].isoformat(),
                submitted_at=submitted.isoformat(),
                state_changed_at=history[-1][4].isoformat(),
                **{k: _enc(v) for k, v in r.items()},
            )
            for name, src, dst, actor, at in history:
                T_tr.add(
                    referral_id=rid,
                    name=name,
                    from_state=src,
                    to_state=dst,
                    actor_id=actor,
                    at=at.isoformat(),
                    payload=empty_payload,
                )
                T_audit.add(
                    at=at.isoformat(),
                    actor_id=actor,
                    action=f"referral.{name}",
                    object_type="referral",
                    object_id=rid,
                    detail=empty_payload,
                )
            T_audit.add(
                at=history[-1][4].isoformat(),
                actor_id=officer,
                action="referral.view",
                object_type="referral",
                object_id=rid,
                detail=empty_payload,
            )
            if i and i % 100000 == 0:
                self.step(f"{i:,} referrals")
        for t in T.values():
            t.flush()

    def _close(self, r, history, state, reason, actor, t) -> str:
        r["closure_reason"] = reason
        r["closed_at"] = t
        history.append(("close", state, "closed", actor, t))
        return "closed"

    def _channel(self, i, rid, la, r, history, state, officer, t, T, permission_id) -> str:
        ids, rand = self.ids, self.rng.random
        history.append(("refer_to_channel", state, "channel_panel", officer, t))
        r["channel_entered_at"] = t
        state = "channel_panel"
        panel = self._panel_after(la, t.date())
        if panel is None:
            return state
        pid, pdate = panel
        T["agenda"].add(
            id=ids.make(20, i),
            panel_id=pid,
            referral_id=rid,
            kind="new_case",
            decision="",
            order=str(i % 20),
            added_at=t.isoformat(),
        )
        if state in ("channel_panel",) and pdate > END.date() - dt.timedelta(days=120):
            # Open case on a recent agenda: the panel members hold per-case grants.
            for member in la["members"]:
                T["grant"].add(permission_id=permission_id, user_id=member, content_object_id=rid)
        held = dt.datetime.combine(pdate, dt.time(10), tzinfo=dt.UTC)
        if held >= END:
            return state
        chair = la["chair"]
        if rand() >= ADOPT_RATE:
            return self._close(r, history, state, "not_adopted", chair, held)
        r["adopted_at"] = held
        history.append(("adopt", state, "awaiting_consent", chair, held))
        state = "awaiting_consent"
        T["vaf"].add(
            id=ids.make(21, i),
            referral_id=rid,
            framework_id="vaf_2012",
            assessor_id=chair,
            date=pdate.isoformat(),
            ratings="{}",
            evidence="{}",
            summary="Vulnerability assessment summary.",
            management_plan="Support through Channel.",
            created_at=held.isoformat(),
        )
        t = held + dt.timedelta(days=3 + rand() * 20)
        if t >= END:
            return state
        given = rand() < 0.9
        T["consent"].add(
            id=ids.make(22, i),
            referral_id=rid,
            given_by="parent_or_guardian" if rand() < 0.6 else "individual",
            date=t.date().isoformat(),
            decision="given" if given else "declined",
            recorded_by_id=chair,
            created_at=t.isoformat(),
        )
        if not given:
            return self._close(r, history, state, "consent_declined", chair, t)
        history.append(("consent_given", state, "support", chair, t))
        state = "support"
        plan = ids.make(23, i)
        T["plan"].add(id=plan, referral_id=rid, created_at=t.isoformat())
        for k in range(1 + (i % 3)):
            iid = ids.make(24 + k, i)
            T["intervention"].add(
                id=iid,
                plan_id=plan,
                referral_id=rid,
                type=("ideological_mentoring", "education", "mental_health")[k],
                provider_id=la["provider"],
                start_date=t.date().isoformat(),
                hours=f"{2 + k * 3}.0",
                status="active",
                created_at=t.isoformat(),
            )
            T["session"].add(
                id=ids.make(28 + k, i),
                intervention_id=iid,
                date=(t.date() + dt.timedelta(days=14)).isoformat(),
                hours="1.0",
                recorded_by_id=la["provider"],
                created_at=t.isoformat(),
            )
        t += dt.timedelta(days=90 + rand() * 200)
        T["review"].add(
            id=ids.make(32, i),
            referral_id=rid,
            kind="panel",
            date=min(t, END).date().isoformat(),
            risk_change="reduced",
            recommend_exit="t" if t < END else "f",
            recorded_by_id=chair,
            created_at=min(t, END).isoformat(),
        )
        if t >= END:
            return state
        r["exited_at"] = t
        history.append(("exit_channel", state, "post_exit_review", chair, t))
        state = "post_exit_review"
        t += dt.timedelta(days=365)
        if t >= END:
            return state
        for k, kind in enumerate(("post_exit_6_months", "post_exit_12_months")):
            T["review"].add(
                id=ids.make(33 + k, i),
                referral_id=rid,
                kind=kind,
                date=(t - dt.timedelta(days=180 * (1 - k))).date().isoformat(),
                risk_change="reduced",
                recorded_by_id=chair,
                created_at=t.isoformat(),
            )
        return self._close(r, history, state, "reviews_complete", chair, t)

    def panels(self) -> None:
        """A panel a month in every local authority for ten years, plus two ahead."""
        ids = self.ids
        panels = self.table("channel.Panel")
        m2m = self.model("channel.Panel").members.through
        attended = self.model("channel.Panel").attended.through
        members = Table(self.cursor, m2m._meta.db_table, ["panel_id", "user_id"])
        came = Table(self.cursor, attended._meta.db_table, ["panel_id", "user_id"])
        start = dt.date(END.year - YEARS, END.month, 1)
        n = 0
        for la in self.las:
            la["panels"] = []
            for m in range(YEARS * 12 + 2):
                month = start.month - 1 + m
                day = dt.date(start.year + month // 12, month % 12 + 1, 10 + la["n"] % 15)
                pid = ids.make(19, n)
                n += 1
                held = day < END.date()
                panels.add(
                    id=pid,
                    local_authority_id=la["id"],
                    chair_id=la["chair"],
                    date=day.isoformat(),
                    location="Council offices, committee room 2",
                    quorum_met="t" if held else "f",
                    held_at=f"{day.isoformat()}T12:00:00+00:00" if held else r"\N",
                    signed_off_at=f"{day.isoformat()}T17:00:00+00:00" if held else r"\N",
                    created_at=f"{day.isoformat()}T09:00:00+00:00",
                )
                la["panels"].append((pid, day))
                for member in la["members"]:
                    members.add_raw(pid, member)
                    if held:
                        came.add_raw(pid, member)
        for t in (panels, members, came):
            t.flush()

    def _panel_after(self, la, day: dt.date):
        for pid, pdate in la["panels"]:
            if pdate > day:
                return pid, pdate
        return None

    def _permission_id(self) -> str:
        self.cursor.execute(
            "SELECT p.id FROM auth_permission p"
            " JOIN django_content_type c ON c.id = p.content_type_id"
            " WHERE c.app_label = 'referrals' AND p.codename = 'view_case_as_panel_member'"
        )
        row = self.cursor.fetchone()
        if row is None:
            raise RuntimeError("run migrate first: the panel-member permission is missing")
        return str(row[0])

    # --- training ------------------------------------------------------------------------

    def training(self) -> None:
        ids, rng = self.ids, self.rng
        staff = self.table("training.StaffMember")
        records = self.table("training.TrainingRecord")
        courses = dict(self.model("training.Course").objects.values_list("code", "id"))
        awareness, referrals_course = courses.get("awareness"), courses.get("referrals")
        roles = ["safeguarding_lead", "senior_leader", "practitioner", "support", "volunteer"]
        n = r = 0
        for la in self.las:
            for agency_ids in la["agencies"].values():
                for aid in agency_ids:
                    for k in range(12):
                        sid = ids.make(40, n)
                        n += 1
                        role = roles[k % 5]
                        staff.add(
                            id=sid,
                            agency_id=aid,
                            name=f"{FIRST[n % len(FIRST)]} {LAST[(n * 3) % len(LAST)]}",
                            email=f"staff{n}@synthetic.invalid",
                            role=role,
                            frontline="t" if role == "practitioner" else "f",
                            created_at=END.isoformat(),
                            updated_at=END.isoformat(),
                        )
                        done = END.date() - dt.timedelta(days=rng.randrange(30, 1100))
                        for course, offset in ((awareness, 0), (referrals_course, 14)):
                            if course is None or (offset and role not in roles[:2]):
                                continue
                            day = done + dt.timedelta(days=offset)
                            records.add(
                                id=ids.make(41, r),
                                staff_id=sid,
                                course_id=str(course),
                                completed_on=day.isoformat(),
                                expires_on=(day + dt.timedelta(days=730)).isoformat(),
                                created_at=END.isoformat(),
                                updated_at=END.isoformat(),
                            )
                            r += 1
        staff.flush()
        records.flush()


def main(argv: list[str] | None = None) -> None:
    """``python -m bench.synthetic --referrals N --seed S [--regions R]`` (never deployed)."""
    import argparse

    import django

    parser = argparse.ArgumentParser(
        prog="python -m bench.synthetic",
        description="Fill an empty, migrated PostgreSQL database with deterministic synthetic "
        "data at national shape (benchmarks; see docs/performance.md).",
    )
    parser.add_argument("--referrals", type=int, default=70_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--regions", type=int, default=len(REGIONS), help="Keep only the first N of the 11 regions."
    )
    args = parser.parse_args(argv)
    if args.referrals < 1:
        parser.error("--referrals must be at least 1.")
    django.setup()
    if connection.vendor != "postgresql":
        parser.error("the generator writes with COPY: it needs PostgreSQL.")
    try:
        counts = generate(
            referrals=args.referrals,
            seed=args.seed,
            regions=args.regions,
            log=lambda message: print(f"  {message}"),
        )
    except RuntimeError as error:
        parser.exit(1, f"{error}\n")
    print(
        f"{counts['referrals']:,} referrals, {counts['local_authorities']} local "
        f"authorities, {counts['users']:,} users in {counts['seconds']} s"
    )


if __name__ == "__main__":
    main()
