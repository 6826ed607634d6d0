"""The statistics tables of ``reports.selectors.statistics_for`` in one hand-written query.

The physical-limit side of measurement 4: the same rules (local referral date, latest police
assessment's type of concern, age at referral, outcome precedence), one pass, GROUPING SETS.
"""

from __future__ import annotations

SQL = """
WITH base AS (
  SELECT r.id,
         ag.sector,
         COALESCE((SELECT pa.concern_type_id FROM referrals_policeassessment pa
                    WHERE pa.referral_id = r.id ORDER BY pa.created_at DESC LIMIT 1),
                  r.concern_types ->> 0, 'unclear') AS concern,
         CASE WHEN s.date_of_birth IS NULL THEN NULL
              ELSE date_part('year', age((r.submitted_at AT TIME ZONE 'Europe/London')::date,
                                         s.date_of_birth))::int END AS age,
         COALESCE(NULLIF(s.gender, ''), 'not_known') AS gender,
         CASE
           WHEN r.exited_at IS NOT NULL THEN 'exited'
           WHEN r.closure_reason = 'consent_declined' THEN 'consent_declined'
           WHEN r.adopted_at IS NOT NULL THEN 'adopted'
           WHEN r.closure_reason = 'not_adopted' THEN 'not_adopted'
           WHEN EXISTS (SELECT 1 FROM channel_agendaitem ai
                         JOIN channel_panel p ON p.id = ai.panel_id
                         WHERE ai.referral_id = r.id AND p.held_at IS NOT NULL)
             THEN 'discussed_at_panel'
           WHEN r.state = 'police_led' OR EXISTS (SELECT 1 FROM referrals_referraltransition t
                         WHERE t.referral_id = r.id AND t.to_state = 'police_led') THEN 'police_led'
           WHEN r.state = 'closed' AND r.closure_reason = 'signposted' THEN 'signposted'
           WHEN r.state = 'closed' THEN 'no_further_action'
           ELSE 'open' END AS outcome
  FROM referrals_referral r
  JOIN referrals_subject s ON s.id = r.subject_id
  JOIN accounts_agency ag ON ag.id = r.referrer_agency_id
  WHERE r.{scope} = %s AND r.state <> 'draft'
    AND (r.submitted_at AT TIME ZONE 'Europe/London')::date BETWEEN %s AND %s
)
SELECT GROUPING(sector, concern, age_group, gender, outcome) AS g,
       sector, concern, age_group, gender, outcome, count(*)
FROM (SELECT *, CASE WHEN age IS NULL THEN 'unknown' WHEN age <= 10 THEN '10_and_under'
                     WHEN age <= 15 THEN '11_to_15' WHEN age <= 17 THEN '16_to_17'
                     WHEN age <= 20 THEN '18_to_20' WHEN age <= 30 THEN '21_to_30'
                     WHEN age <= 40 THEN '31_to_40' WHEN age <= 50 THEN '41_to_50'
                     WHEN age <= 60 THEN '51_to_60' ELSE '61_and_over' END AS age_group
      FROM base) b
GROUP BY GROUPING SETS ((sector), (concern), (age_group), (gender), (outcome))
"""
# GROUPING() bit masks: the one column grouped on is the zero bit.
TABLE_BY_MASK = {
    0b01111: ("by_sector", 1),
    0b10111: ("by_concern_type", 2),
    0b11011: ("by_age_group", 3),
    0b11101: ("by_gender", 4),
    0b11110: ("outcomes", 5),
}


def hand_statistics(connection, scope: str, value, period) -> dict[str, dict[str, int]]:
    assert scope in ("local_authority_id", "police_force_id")
    tables: dict[str, dict[str, int]] = {name: {} for name, _i in TABLE_BY_MASK.values()}
    with connection.cursor() as cursor:
        cursor.execute(SQL.format(scope=scope), [value, period.start, period.end])
        for row in cursor.fetchall():
            name, index = TABLE_BY_MASK[row[0]]
            tables[name][row[index]] = row[-1]
    return tables
