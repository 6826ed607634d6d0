"""The statistics rollup (issue 25) and the triggers that keep its stale list.

Every change to something a ``reports.ReferralStatistics`` column is made of puts the
referral on ``reports_statisticsstale``, in the changing transaction, whatever wrote it (a
service, the admin, a bulk ``UPDATE``): the referral's own columns, its subject's date of
birth and gender, its police assessments (the type of concern), its agenda items and their
panels being held, a police-led transition, its referring agency's sector. The triggers hold
no rule of the statistics; they only say "look again". ``ON CONFLICT DO UPDATE`` takes the
stale row's lock, so a refresh deleting it waits for the writer to commit and then reads
what it wrote.

SQLite (the local demo database) has no triggers; the statistics read live there.
"""

import django.db.models.deletion
from django.db import migrations, models

CREATE = """
CREATE OR REPLACE FUNCTION reports_statistics_mark(referral uuid) RETURNS void AS $$
    INSERT INTO reports_statisticsstale (referral_id, marked_at) VALUES (referral, now())
    ON CONFLICT (referral_id) DO UPDATE SET marked_at = EXCLUDED.marked_at;
$$ LANGUAGE sql;

CREATE OR REPLACE FUNCTION reports_statistics_referral_changed() RETURNS trigger AS $$
BEGIN
    PERFORM reports_statistics_mark(NEW.id);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER reports_statistics_referral_inserted
    AFTER INSERT ON referrals_referral
    FOR EACH ROW WHEN (NEW.state <> 'draft') EXECUTE FUNCTION reports_statistics_referral_changed();

CREATE TRIGGER reports_statistics_referral_updated
    AFTER UPDATE ON referrals_referral
    FOR EACH ROW WHEN (NEW.state <> 'draft' AND (
        OLD.state IS DISTINCT FROM NEW.state
        OR OLD.closure_reason IS DISTINCT FROM NEW.closure_reason
        OR OLD.submitted_at IS DISTINCT FROM NEW.submitted_at
        OR OLD.adopted_at IS DISTINCT FROM NEW.adopted_at
        OR OLD.exited_at IS DISTINCT FROM NEW.exited_at
        OR OLD.contact_sector IS DISTINCT FROM NEW.contact_sector
        OR OLD.received_via IS DISTINCT FROM NEW.received_via
        OR OLD.concern_types IS DISTINCT FROM NEW.concern_types
        OR OLD.local_authority_id IS DISTINCT FROM NEW.local_authority_id
        OR OLD.police_force_id IS DISTINCT FROM NEW.police_force_id
        OR OLD.referrer_agency_id IS DISTINCT FROM NEW.referrer_agency_id
        OR OLD.subject_id IS DISTINCT FROM NEW.subject_id
    )) EXECUTE FUNCTION reports_statistics_referral_changed();

CREATE OR REPLACE FUNCTION reports_statistics_subject_changed() RETURNS trigger AS $$
BEGIN
    PERFORM reports_statistics_mark(r.id) FROM referrals_referral r WHERE r.subject_id = NEW.id AND r.state <> 'draft';
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER reports_statistics_subject_updated
    AFTER UPDATE ON referrals_subject
    FOR EACH ROW WHEN (
        OLD.date_of_birth IS DISTINCT FROM NEW.date_of_birth
        OR OLD.gender IS DISTINCT FROM NEW.gender
    ) EXECUTE FUNCTION reports_statistics_subject_changed();

-- Rows that name their referral: police assessments, agenda items, transitions.
CREATE OR REPLACE FUNCTION reports_statistics_child_changed() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM reports_statistics_mark(OLD.referral_id);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM reports_statistics_mark(NEW.referral_id);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER reports_statistics_assessment_changed
    AFTER INSERT OR UPDATE OR DELETE ON referrals_policeassessment
    FOR EACH ROW EXECUTE FUNCTION reports_statistics_child_changed();

CREATE TRIGGER reports_statistics_agendaitem_changed
    AFTER INSERT OR UPDATE OF referral_id, panel_id OR DELETE ON channel_agendaitem
    FOR EACH ROW EXECUTE FUNCTION reports_statistics_child_changed();

CREATE TRIGGER reports_statistics_transition_changed
    AFTER INSERT OR UPDATE OF referral_id, to_state OR DELETE ON referrals_referraltransition
    FOR EACH ROW EXECUTE FUNCTION reports_statistics_child_changed();

CREATE OR REPLACE FUNCTION reports_statistics_panel_held() RETURNS trigger AS $$
BEGIN
    PERFORM reports_statistics_mark(a.referral_id)
        FROM channel_agendaitem a WHERE a.panel_id = NEW.id;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER reports_statistics_panel_held
    AFTER UPDATE ON channel_panel
    FOR EACH ROW WHEN ((OLD.held_at IS NULL) IS DISTINCT FROM (NEW.held_at IS NULL))
    EXECUTE FUNCTION reports_statistics_panel_held();

CREATE OR REPLACE FUNCTION reports_statistics_agency_sector() RETURNS trigger AS $$
BEGIN
    PERFORM reports_statistics_mark(r.id)
        FROM referrals_referral r WHERE r.referrer_agency_id = NEW.id;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER reports_statistics_agency_sector
    AFTER UPDATE ON accounts_agency
    FOR EACH ROW WHEN (OLD.sector IS DISTINCT FROM NEW.sector)
    EXECUTE FUNCTION reports_statistics_agency_sector();
"""

DROP = """
DROP TRIGGER IF EXISTS reports_statistics_referral_inserted ON referrals_referral;
DROP TRIGGER IF EXISTS reports_statistics_referral_updated ON referrals_referral;
DROP TRIGGER IF EXISTS reports_statistics_subject_updated ON referrals_subject;
DROP TRIGGER IF EXISTS reports_statistics_assessment_changed ON referrals_policeassessment;
DROP TRIGGER IF EXISTS reports_statistics_agendaitem_changed ON channel_agendaitem;
DROP TRIGGER IF EXISTS reports_statistics_transition_changed ON referrals_referraltransition;
DROP TRIGGER IF EXISTS reports_statistics_panel_held ON channel_panel;
DROP TRIGGER IF EXISTS reports_statistics_agency_sector ON accounts_agency;
DROP FUNCTION IF EXISTS reports_statistics_referral_changed();
DROP FUNCTION IF EXISTS reports_statistics_subject_changed();
DROP FUNCTION IF EXISTS reports_statistics_child_changed();
DROP FUNCTION IF EXISTS reports_statistics_panel_held();
DROP FUNCTION IF EXISTS reports_statistics_agency_sector();
DROP FUNCTION IF EXISTS reports_statistics_mark(uuid);
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)
        # Every referral already there is stale: the statistics read it live until
        # ``reports.rollup`` (the periodic task, or ``statistics_rollup_rebuild``) has run.
        schema_editor.execute(
            "INSERT INTO reports_statisticsstale (referral_id, marked_at)"
            " SELECT id, now() FROM referrals_referral WHERE state <> 'draft'",
            params=None,
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_frontdoor_prevent_lead_and_area_contacts"),
        ("referrals", "0010_persons_one_person_per_referral"),
        ("reports", "0001_compliance_records"),
        ("channel", "0009_clocks_agency_update_requests"),
    ]

    operations = [
        migrations.CreateModel(
            name="StatisticsStale",
            fields=[
                ("referral_id", models.UUIDField(primary_key=True, serialize=False)),
                ("marked_at", models.DateTimeField()),
            ],
        ),
        migrations.CreateModel(
            name="ReferralStatistics",
            fields=[
                (
                    "referral",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="referrals.referral",
                    ),
                ),
                ("submitted_at", models.DateTimeField()),
                ("sector", models.CharField(max_length=32)),
                ("route", models.CharField(max_length=16)),
                ("concern", models.TextField()),
                ("age", models.IntegerField(null=True)),
                ("gender", models.CharField(max_length=16)),
                ("state", models.CharField(max_length=24)),
                ("closure_reason", models.CharField(max_length=32)),
                ("exited", models.BooleanField()),
                ("adopted", models.BooleanField()),
                ("ever_police_led", models.BooleanField()),
                ("discussed_at_panel", models.BooleanField()),
                (
                    "local_authority",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="accounts.localauthority",
                    ),
                ),
                (
                    "police_force",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="accounts.policeforce",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=["police_force", "submitted_at"], name="reports_stats_force_idx"
                    ),
                    models.Index(
                        fields=["local_authority", "submitted_at"], name="reports_stats_la_idx"
                    ),
                ],
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
