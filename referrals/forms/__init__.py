"""The referral forms, one module per page family (as ``referrals.views``); import each form
from its module."""
