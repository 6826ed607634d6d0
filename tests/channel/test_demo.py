import pytest
from django.core.management import call_command

from accounts.models import User
from channel.models import Panel
from referrals.models import Referral

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_channel_cases_for_both_authorities_idempotently(reference_data):
    call_command("seed_demo")
    call_command("seed_demo")
    for name in ("chair-a", "chair-b"):
        chair = User.objects.get(username=name)
        panels = Panel.objects.filter(local_authority_id=chair.local_authority_id)
        assert panels.count() == 2
        states = set(
            Referral.objects.filter(
                local_authority_id=chair.local_authority_id, channel_entered_at__isnull=False
            ).values_list("state", flat=True)
        )
        assert {
            "channel_panel",
            "awaiting_consent",
            "support",
            "post_exit_review",
            "closed",
        } <= states
