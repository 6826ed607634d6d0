"""Every write of the partnership app, split by record: boards (and their meetings and
actions), risk (assessments, CTLP briefings, the plan) and agreements (data-sharing
agreements and the disclosure ledger)."""
