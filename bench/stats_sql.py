"""The statistics tables of ``reports.selectors.statistics_tables_for`` in one hand-written query.

The physical-limit side of measurement 4: the same rules (local referral date, latest police
assessment's type of concern, age at referral, outcome precedence, the journey), one pass,
GROUPING SETS. The period is two local midnights compared with ``submitted_at``, as the app
does, so both sides read the same index range.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

SQL = """
WITH base AS (
  SELECT r.id,
         COALESCE(NULLIF(r.contact_sector, ''), ag.sector) AS sector,
         COALESCE((SELECT pa.concern_type_id FROM referrals_policeassessment pa
                    WHERE pa.referral_id = r.id ORDER BY pa.created_at DESC, pa.id DESC LIMIT 1),
                  r.concern_types ->> 0, 'unclear') AS concern,
         CASE WHEN s.date_of_birth IS NULL THEN NULL
              ELSE date_part('year', age((r.submitted_at AT TIME ZONE 'Europe/London')::date,
                                         s.date_of_birth))::int END AS age,
         COALESCE(NULLIF(s.gender, ''), 'not_known') AS gender,
         EXISTS (SELECT 1 FROM channel_agendaitem ai
                  JOIN channel_panel p ON p.id = ai.panel_id
                  WHERE ai.referral_id = r.id AND p.held_at IS NOT NULL) AS discussed,
         r.adopted_at IS NOT NULL AS adopted,
         r.exited_at, r.closure_reason, r.state
  FROM referrals_referral r
  JOIN referrals_subject s ON s.id = r.subject_id
  JOIN accounts_agency ag ON ag.id = r.referrer_agency_id
  WHERE r.{scope} = %s AND r.state <> 'draft'
    AND r.submitted_at >= %s AND r.submitted_at < %s
)
SELECT GROUPING(sector, concern, age_group, gender, outcome) AS g,
       sector, concern, age_group, gender, outcome, count(*),
       count(*) FILTER (WHERE discussed), count(*) FILTER (WHERE adopted)
FROM (SELECT *,
             CASE WHEN age IS NULL THEN 'unknown' WHEN age <= 10 THEN '10_and_under'
                  WHEN age <= 15 THEN '11_to_15' WHEN age <= 17 THEN '16_to_17'
                  WHEN age <= 20 THEN '18_to_20' WHEN age <= 30 THEN '21_to_30'
                  WHEN age <= 40 THEN '31_to_40' WHEN age <= 50 THEN '41_to_50'
                  WHEN age <= 60 THEN '51_to_60' ELSE '61_and_over' END AS age_group,
             CASE
               WHEN exited_at IS NOT NULL THEN 'exited'
               WHEN closure_reason = 'consent_declined' THEN 'consent_declined'
               WHEN adopted THEN 'adopted'
               WHEN closure_reason = 'not_adopted' THEN 'not_adopted'
               WHEN discussed THEN 'discussed_at_panel'
               WHEN state = 'police_led' OR EXISTS (
                      SELECT 1 FROM referrals_referraltransition t
                       WHERE t.referral_id = b0.id AND t.to_state = 'police_led') THEN 'police_led'
               WHEN state = 'closed' AND closure_reason = 'signposted' THEN 'signposted'
               WHEN state = 'closed' THEN 'no_further_action'
               ELSE 'open' END AS outcome
      FROM base b0) b
GROUP BY GROUPING SETS ((sector), (concern), (age_group), (gender), (outcome), ())
"""
# GROUPING() bit masks: the one column grouped on is the zero bit; all ones is the total.
TABLE_BY_MASK = {
    0b01111: ("by_sector", 1),
    0b10111: ("by_concern_type", 2),
    0b11011: ("by_age_group", 3),
    0b11101: ("by_gender", 4),
    0b11110: ("outcomes", 5),
}
TOTAL_MASK = 0b11111
LONDON = zoneinfo.ZoneInfo("Europe/London")


def hand_statistics(connection, scope: str, value, period) -> dict:
    """The five tables (non-zero cells only), the total and the journey."""
    assert scope in ("local_authority_id", "police_force_id")
    start = dt.datetime.combine(period.start, dt.time.min, tzinfo=LONDON)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min, tzinfo=LONDON)
    tables: dict = {name: {} for name, _i in TABLE_BY_MASK.values()}
    tables["total_referrals"] = 0
    tables["journey"] = {"referrals": 0, "discussed_at_panel": 0, "adopted": 0}
    with connection.cursor() as cursor:
        cursor.execute(SQL.format(scope=scope), [value, start, end])
        for row in cursor.fetchall():
            if row[0] == TOTAL_MASK:
                tables["total_referrals"] = row[6]
                tables["journey"] = {
                    "referrals": row[6],
                    "discussed_at_panel": row[7],
                    "adopted": row[8],
                }
                continue
            name, index = TABLE_BY_MASK[row[0]]
            tables[name][row[index]] = row[6]
    return tables
