"""Shared building blocks: the append-only audit trail and background jobs."""

import uuid

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def actor_reference() -> models.ForeignKey:
    """Who acted, kept when the person is deleted: no database constraint, no reverse name,
    NULL for the system. The audit trail outlives the accounts it names."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )


class AuditEvent(models.Model):
    """One thing someone did or saw. Append-only: PostgreSQL refuses UPDATE and DELETE.

    Free text never carries personal data: objects are named by type and opaque id only.
    """

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = actor_reference()
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    reason = models.CharField(max_length=500, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "-at"]),
            models.Index(fields=["actor", "-at"]),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValueError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit events are append-only.")


class AuditTally(models.Model):
    """How often each person appears in one object's audit trail, and when last.

    Kept beside the trail by ``prevent_cms.audit`` (in the same INSERT's transaction) for the
    objects whose "who has seen this" summary a page shows (``TALLIED_TYPES``), so that
    summary is one read of a row per person, however many thousand times the object has
    been read (issue 25). The trail itself stays the record; this is a count of it.
    """

    id = models.BigAutoField(primary_key=True)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    # The actor's id as text, "" for the system: a plain key the unique constraint can hold
    # on every database (NULLs are distinct in a unique index).
    actor_key = models.CharField(max_length=64, blank=True)
    actor = actor_reference()
    events = models.PositiveIntegerField(default=0)
    last_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["object_type", "object_id", "actor_key"], name="audit_tally_one_per_actor"
            )
        ]

    def __str__(self) -> str:
        return f"{self.object_type}:{self.object_id} × {self.actor_key or 'system'}"


class Job(models.Model):
    """A background job the UI and API can follow (packs, exports, imports)."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=64)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs"
    )
    state = models.CharField(max_length=16, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    params = models.JSONField(default=dict, blank=True)
    result = models.FileField(upload_to="jobs/%Y/%m/", blank=True)
    result_name = models.CharField(max_length=200, blank=True)
    result_content_type = models.CharField(max_length=100, blank=True)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # When the retention purge deleted the result file (``prevent_cms.purge``): the row stays,
    # so a download answers 410 with the reason instead of a bare 404.
    purged_at = models.DateTimeField(null=True, blank=True)
    # The language of the person who asked (issue 19): the worker words the file in it, as
    # the page they asked from was (``prevent_cms.jobs.job_task``). A code, never personal.
    language = models.CharField(max_length=8, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.id}"


class OutboxMessage(models.Model):
    """A Celery task to send, written in the same transaction as the change that causes it.

    ``prevent_cms.outbox`` sends it after commit; if Redis is down the row stays pending and
    the relay (Celery beat, or ``manage.py relay_outbox``) sends it once Redis is back. Sending
    is at least once: tasks take ids only and may run twice.
    """

    id = models.BigAutoField(primary_key=True)
    task = models.CharField(max_length=200)
    args = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["id"], name="outbox_pending", condition=models.Q(sent_at__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task} {self.id}"


class IdempotencyKey(models.Model):
    """The first answer to a POST sent with an ``Idempotency-Key``, for replaying to retries.

    One row per person, key, method and path (``prevent_cms.api.idempotency``). ``status``
    is empty while the first request is still being handled. ``response_body`` is what that
    person was answered, so it may hold case content: the hourly purge deletes rows after
    ``IDEMPOTENCY_KEY_RETENTION`` (24 hours).
    """

    id = models.BigAutoField(primary_key=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    body_hash = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    location = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key", "method", "path"], name="idempotency_key_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} ({self.status or 'in progress'})"


class Notification(models.Model):
    """One thing the service told one person, in the app and (as they chose) by e-mail.

    Every e-mail the system sends is made through ``prevent_cms.notifications`` and leaves one
    of these per recipient, so the in-app list mirrors the mail. Content-free like the mail:
    a kind, a case or panel reference and a link, never a name.
    """

    class Delivery(models.TextChoices):
        EMAIL = "email", _("E-mail straight away")
        DIGEST = "digest", _("One e-mail a day (daily digest)")
        IN_APP = "in_app", _("In this service only, no e-mail")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=40)
    subject = models.CharField(max_length=200)
    reference = models.CharField(max_length=40, blank=True)
    path = models.CharField(max_length=300, blank=True)  # a path on this site, never a host
    # Who and what it is about, once: a re-run of the task or beat job that sent it finds it.
    key = models.CharField(max_length=200, blank=True)
    delivery = models.CharField(max_length=8, choices=Delivery.choices, default=Delivery.EMAIL)
    created_at = models.DateTimeField(default=timezone.now)
    emailed_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"],
                condition=~models.Q(key=""),
                name="notification_once_per_key",
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"]),
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.reference}"


class NotificationPreference(models.Model):
    """How one person wants one kind of notification delivered (the default is e-mail now)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=40)
    delivery = models.CharField(max_length=8, choices=Notification.Delivery.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.delivery}"


class SavedView(models.Model):
    """A person's named view of a list: its filters and sort, as the list's query string
    (issue 19). Private to its owner. Only the keys the list names in
    ``saved_views.SAVED_VIEW_PAGES`` are kept, never a search term (which may be a name)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views"
    )
    page = models.CharField(max_length=64)  # the list's URL name, e.g. "training:record_list"
    name = models.CharField(max_length=100)
    query = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "page", "name"], name="saved_view_unique_name_per_list"
            )
        ]
        indexes = [models.Index(fields=["owner", "page"])]

    def __str__(self) -> str:
        return self.name
