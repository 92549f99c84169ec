"""The audit log: append-only and hash-chained, so that any change to its past shows."""

from django.db import models


class AuditEvent(models.Model):
    """One thing that happened: a login, a read of a sensitive item, a write, a share, an export.

    Each row carries the hash of the row before it; `port2port audit verify` recomputes them.
    Actor and organisations are stored as plain ids and labels so the log never loses a row
    when an account or an organisation is removed.
    """

    seq = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField(db_index=True)
    action = models.CharField(max_length=64, db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_label = models.CharField(max_length=254, blank=True)
    # The acting organisation, and the organisation that owns the object acted on.
    organisation_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    subject_organisation_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]

    def __str__(self):
        return f"#{self.seq} {self.action} by {self.actor_label or '-'}"


class AuditHead(models.Model):
    """The end of the chain (last sequence number and hash), kept apart from the events so that
    cutting entries off the end of the log is detected as well."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)
