"""The consultations API: list, record, read, change and link to a referral."""
