"""The audit log detects every kind of tampering: modify, delete, reorder, insert, truncate."""

import pytest

from port2port.core import audit
from port2port.core.models import AuditEvent, AuditHead


@pytest.fixture
def chain(db):
    for number in range(1, 6):
        audit.record("reports.read", detail={"n": number})
    assert audit.verify_chain().ok
    return list(AuditEvent.objects.order_by("seq"))


def problems():
    return " ".join(audit.verify_chain().problems)


def test_an_untouched_log_verifies(chain):
    result = audit.verify_chain()
    assert result.ok and result.checked == 5


def test_it_detects_a_modified_entry(chain):
    AuditEvent.objects.filter(pk=chain[2].pk).update(action="reports.create")
    assert "entry 3: content does not match its hash" in problems()


def test_it_detects_a_modified_entry_with_a_recomputed_hash(chain):
    event = AuditEvent.objects.get(pk=chain[2].pk)
    event.detail = {"n": 99}
    event.hash = audit.compute_hash(event)
    event.save()
    assert "entry 4: does not link" in problems()


def test_it_detects_a_deleted_entry(chain):
    AuditEvent.objects.filter(pk=chain[1].pk).delete()
    assert "expected sequence number 2" in problems()


def test_it_detects_reordered_entries(chain):
    first, second = chain[1], chain[2]
    # Swap the contents of two rows, keeping their sequence numbers where they were.
    AuditEvent.objects.filter(pk=first.pk).update(seq=1000)
    AuditEvent.objects.filter(pk=second.pk).update(seq=first.seq)
    AuditEvent.objects.filter(pk=first.pk).update(seq=second.seq)
    assert "does not link" in problems()


def test_it_detects_an_inserted_entry(chain):
    for event in reversed(chain[2:]):  # make room at 3, last row first (seq is unique)
        AuditEvent.objects.filter(pk=event.pk).update(seq=event.seq + 1)
    forged = AuditEvent(seq=3, at=chain[2].at, action="accounts.login", prev_hash=chain[1].hash)
    forged.hash = audit.compute_hash(forged)
    forged.save()
    assert "does not link" in problems()


def test_it_detects_a_truncated_tail(chain):
    AuditEvent.objects.filter(seq__gte=4).delete()
    assert "the log ends at entry 3 but its head records entry 5" in problems()


def test_it_detects_a_truncated_tail_even_with_the_head_missing(chain):
    AuditEvent.objects.filter(seq__gte=4).delete()
    AuditHead.objects.all().delete()
    assert "head records entry 0" in problems()


def test_appending_after_verification_keeps_the_chain_valid(chain):
    audit.record("accounts.login")
    assert audit.verify_chain().ok
