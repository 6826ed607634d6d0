"""E-mails about transfers between areas (issue 18). Ids in, content-free out."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from prevent_cms.jobs import email_task
from prevent_cms.notifications import Kind, notification_send, site_link
from referrals.choices import CHANNEL_STAGES

from .models import AreaTransfer

SUBJECTS = {
    "requested": _("Case transfer requested: %(reference)s"),
    "accepted": _("Case transfer accepted: %(reference)s"),
    "declined": _("Case transfer declined: %(reference)s"),
}
BODIES = {
    "requested": _(
        "The Prevent case %(reference)s has been asked to move from %(from_area)s to %(to_area)s "
        "because the person moved. The receiving area decides whether to accept it.\n\n%(link)s"
    ),
    "accepted": _(
        "The Prevent case %(reference)s has moved from %(from_area)s to %(to_area)s, at the same "
        "stage, with its history.\n\n%(link)s"
    ),
    "declined": _(
        "The request to move the Prevent case %(reference)s from %(from_area)s to %(to_area)s was "
        "declined; the case stays where it was.\n\n%(link)s"
    ),
}


def _team(*, local_authority_id, police_force_id, channel: bool):
    """A case's team in one area: the Prevent officers of the force, and for a Channel case
    the chairs of the local authority."""
    people = User.objects.filter(is_active=True)
    officers = people.filter(
        role_grants__role=Role.PREVENT_OFFICER,
        agency__local_authority__police_force_id=police_force_id,
    )
    team = set(officers.distinct())
    if channel:
        team |= set(
            people.filter(
                role_grants__role=Role.CHANNEL_CHAIR,
                agency__local_authority_id=local_authority_id,
            ).distinct()
        )
    return team


@email_task
def send_transfer_email(transfer_id: str, event: str) -> int:
    """Tell the sending and the receiving teams that a transfer was requested, accepted or
    declined: the reference, the two areas and a link. May run twice (keyed per event)."""
    transfer = (
        AreaTransfer.objects.select_related(
            "referral", "from_local_authority", "to_local_authority"
        )
        .filter(pk=transfer_id)
        .first()
    )
    if transfer is None or event not in SUBJECTS:
        return 0
    referral = transfer.referral
    channel = referral.state in CHANNEL_STAGES
    recipients = _team(
        local_authority_id=transfer.from_local_authority_id,
        police_force_id=transfer.from_police_force_id,
        channel=channel,
    ) | _team(
        local_authority_id=transfer.to_local_authority_id,
        police_force_id=transfer.to_police_force_id,
        channel=channel,
    )
    path = reverse("persons:transfers")
    values = {
        "reference": referral.reference,
        "from_area": transfer.from_local_authority.name,
        "to_area": transfer.to_local_authority.name,
        "link": site_link(path),
    }
    return notification_send(
        kind=Kind.CASE_TRANSFER,
        recipients=recipients,
        subject=SUBJECTS[event],
        body=BODIES[event],
        values=values,
        path=path,
        reference=referral.reference,
        key=f"transfer-{transfer.pk}-{event}",
    )
