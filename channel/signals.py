"""A closed case loses every panel grant, in the same transaction as the closing."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from referrals.choices import State
from referrals.models import Referral

from .permissions import sync_case_grants


@receiver(post_save, sender=Referral, dispatch_uid="channel_revoke_on_close")
def revoke_grants_when_closed(sender, instance: Referral, **kwargs) -> None:
    if instance.state == State.CLOSED:
        sync_case_grants(instance)
