"""Consultations: advice a Prevent officer gave before (or instead of) a referral (issue 15)."""
