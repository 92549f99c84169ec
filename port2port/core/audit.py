"""Writing and verifying the hash-chained audit log.

Appends serialise on the head row (SELECT ... FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE
transactions already admit one writer at a time), so the chain never forks.
"""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC

from django.db import transaction
from django.utils import timezone

from .models import AuditEvent, AuditHead

GENESIS = "0" * 64


def _canonical(event: AuditEvent) -> bytes:
    body = {
        "seq": event.seq,
        "at": event.at.astimezone(UTC).isoformat(),
        "action": event.action,
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "organisation_id": event.organisation_id,
        "subject_organisation_id": event.subject_organisation_id,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "detail": event.detail,
        "ip": event.ip,
        "prev_hash": event.prev_hash,
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), default=str).encode()


def compute_hash(event: AuditEvent) -> str:
    return hashlib.sha256(_canonical(event)).hexdigest()


def record(action: str, *, actor=None, organisation_id=None, target=None,
           subject_organisation_id=None, detail=None, ip=None) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction when there is one."""
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        event = AuditEvent(
            seq=head.seq + 1,
            at=timezone.now(),
            action=action,
            actor_id=getattr(actor, "pk", None),
            actor_label=getattr(actor, "email", "") or "",
            organisation_id=organisation_id,
            subject_organisation_id=subject_organisation_id,
            target_type=target._meta.label_lower if target is not None else "",
            target_id=str(target.pk) if target is not None else "",
            detail=detail or {},
            ip=ip,
            prev_hash=head.hash,
        )
        event.hash = compute_hash(event)
        event.save()
        head.seq, head.hash = event.seq, event.hash
        head.save(update_fields=["seq", "hash"])
    return event


@dataclass
class Verification:
    checked: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_chain(batch_size: int = 5000) -> Verification:
    """Walk the whole log in order and report every break: a modified entry (its hash no longer
    matches), a deleted, inserted or reordered one (a gap in the sequence or a broken link), a
    truncated tail (the head points past the last entry)."""
    result = Verification()
    expected_prev, expected_seq = GENESIS, 1
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=batch_size):
        result.checked += 1
        if event.seq != expected_seq:
            result.problems.append(f"entry {event.seq}: expected sequence number {expected_seq} (entries missing or inserted)")
        if event.prev_hash != expected_prev:
            result.problems.append(f"entry {event.seq}: does not link to the entry before it (deleted, inserted or reordered)")
        if compute_hash(event) != event.hash:
            result.problems.append(f"entry {event.seq}: content does not match its hash (modified)")
        expected_prev, expected_seq = event.hash, event.seq + 1
    head = AuditHead.objects.filter(pk=1).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS)
    if head_seq != expected_seq - 1 or head_hash != expected_prev:
        result.problems.append(
            f"the log ends at entry {expected_seq - 1} but its head records entry {head_seq} (truncated or appended outside the chain)"
        )
    return result
