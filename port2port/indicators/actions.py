"""Named, audited writes to indicators, sightings and watches.

Adding indicators is one transaction for the whole batch (a bulk import is all or nothing);
matching them against watches runs after commit, in the background worker, and computes who
may see what at that moment.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from port2port.core import audit, bulk
from port2port.core.permissions import Permission
from port2port.reports.actions import membership_granting, require_editable
from port2port.reports.models import Report

from .models import NEAR_BY_VALUE_KINDS, PERSONAL_KINDS, Indicator, Sighting, SightingKind, Watch
from .types import REGISTRY, IndicatorError, normalise

MAX_BATCH = 10_000
MAX_COMMENT = 300


@dataclass(frozen=True)
class NewIndicator:
    """One indicator to add: its kind, the value as typed, and an optional comment."""

    kind: str
    raw: str
    comment: str = ""


def months_later(moment, months: int):
    """The same day and time `months` calendar months later (the last day of a shorter month)."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    for day in (moment.day, 30, 29, 28):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise AssertionError("every month has 28 days")


def review_date(now=None):
    """When a personal indicator recorded now comes up for review."""
    return months_later(now or timezone.now(), settings.RETENTION_REVIEW_MONTHS)


# The columns a new indicator fills, in the order of the rows `build_rows` makes.
COLUMNS = ("report_id", "kind", "value", "display", "fuzzy_key", "flags", "suggestion", "extra",
           "owner_note", "comment", "created_by_id", "created_at", "review_at", "kept_reason")


def build_rows(report: Report, user, items: list[NewIndicator]) -> list[tuple]:
    """Normalise every item into a row of COLUMNS, in the items' order; a ValidationError names
    each bad row as `indicators.<n>.<field>`, in the items' order too. Rows are plain tuples: a
    bulk import of 10,000 values builds no model instance before the insert (see core.bulk).

    The items are normalised kind by kind, each kind's in the order given. Each normaliser
    then runs many times in a row, which made normalising a fifth to a quarter quicker than
    with the kinds interleaved as a paste mixes them (the mix of benchmarks/correlation.py,
    alternating runs: 12.7 -> 9.5 and 20.2 -> 16.4 µs a value). Within a kind the order is
    kept, so of two items with the same value the first is the one added, as before."""
    errors, rows_at = {}, {}
    now = timezone.now()
    review_at = review_date(now)
    for kind, numbers in _positions_by_kind(items).items():
        if kind not in REGISTRY:
            for number in numbers:
                errors[number] = ("kind", _("Unknown kind of indicator."))
            continue
        normalise_value, seen = REGISTRY[kind].normalise, set()
        make_row = _row_maker(kind, report, user, now, review_at)
        for number in numbers:
            item = items[number]
            if len(item.comment or "") > MAX_COMMENT:
                errors[number] = ("comment", _("A comment has at most %(n)d characters.") % {"n": MAX_COMMENT})
                continue
            try:
                found = normalise_value(item.raw if isinstance(item.raw, str) else "")
            except IndicatorError as error:
                errors[number] = ("value", str(error.message))
                continue
            if found.value in seen:
                continue  # the same value twice in one paste is one indicator
            seen.add(found.value)
            rows_at[number] = make_row(item, found)
    if errors:
        raise ValidationError({f"indicators.{number}.{field}": text for number, (field, text) in sorted(errors.items())})
    return [rows_at[number] for number in sorted(rows_at)]


def _positions_by_kind(items: list[NewIndicator]) -> dict[str, list[int]]:
    """The items' positions by kind, each kind's in their order, the kinds in the order they
    first come."""
    positions = {}
    for number, item in enumerate(items):
        positions.setdefault(item.kind, []).append(number)
    return positions


def _row_maker(kind: str, report: Report, user, now, review_at):
    """What makes the row of one value of `kind`, with what depends on the kind alone worked
    out once for all its values."""
    report_id, user_id = report.pk, user.pk
    fuzzy_key_stored = kind not in NEAR_BY_VALUE_KINDS
    clear_text_kept = kind == "person"
    review_at = review_at if kind in PERSONAL_KINDS else None

    def row(item: NewIndicator, found) -> tuple:
        return (
            report_id, kind, found.value, found.display, (found.fuzzy_key or "") if fuzzy_key_stored else "",
            [str(flag) for flag in found.flags] if found.flags else [], found.suggestion or "", found.extra or {},
            item.raw.strip()[:300] if clear_text_kept else "", (item.comment or "").strip(),
            user_id, now, review_at, "",
        )

    return row


def add_indicators(report: Report, *, acting_user, items: list[NewIndicator], ip=None) -> "NewIndicators":
    """Add indicators to a report its author or officers may edit, all or nothing. Values the
    report already holds are skipped. Watches are matched after commit.

    The values are normalised and made into the database's parameters before the transaction
    opens: on SQLite a transaction holds the database's one write lock from its start, and that
    work is about a third of an import, which every other writer (a sensor batch, an alert)
    would wait out. The right to edit is checked once, inside the transaction, so that the
    write follows the rights as they are then, and before any error about the values is
    raised: someone who may not edit the report is told so, not how to correct values they may
    not add. (Checking it before the work as well cost a 100-value import an eighth of its time.)"""
    batch = _Batch(report, acting_user, items)
    with transaction.atomic():
        require_editable(report, acting_user)
        if batch.problem is not None:
            raise batch.problem
        existing = set(report.indicators.values_list("kind", "value"))
        rows, ids = batch.insert_new(existing)
        audit.record("indicators.add", actor=acting_user, organisation_id=report.owner_org_id, target=report,
                     subject_organisation_id=report.owner_org_id, detail={"count": len(ids)}, ip=ip)
        if ids:
            transaction.on_commit(lambda: _enqueue_matching(report.pk, min(ids), max(ids)))
    return NewIndicators(report, ids, rows)


class _Batch:
    """An import's rows, normalised, put in index order and made into the database's parameters
    before its transaction opens; or the problem with them (`problem`), kept to be raised once
    the right to edit is checked."""

    def __init__(self, report: Report, user, items: list[NewIndicator]):
        self.rows, self.problem = [], None
        if len(items) > MAX_BATCH:
            self.problem = ValidationError({"indicators": _("At most %(n)d indicators at a time.") % {"n": MAX_BATCH}})
        else:
            try:
                self.rows = build_rows(report, user, items)
            except ValidationError as error:
                self.problem = error
        self.order = _index_order(self.rows)
        self.prepared = bulk.prepare(Indicator, COLUMNS, [self.rows[position] for position in self.order])

    def insert_new(self, existing: set) -> tuple[list[tuple], list[int]]:
        """Insert, in index order, the rows whose (kind, value) is not in `existing`; return
        those rows and their new keys, both in the order the items were given."""
        rows, order = self.rows, self.order
        new = [n for n, position in enumerate(order) if (rows[position][1], rows[position][2]) not in existing]
        prepared = self.prepared if len(new) == len(order) else bulk.Prepared(self.prepared[n] for n in new)
        ids_in_order = bulk.insert_returning_ids(Indicator, COLUMNS, prepared)
        key_at = dict(zip((order[n] for n in new), ids_in_order, strict=True))
        positions = sorted(key_at)
        return [rows[position] for position in positions], [key_at[position] for position in positions]


def _index_order(rows: list[tuple]) -> list[int]:
    """The rows' positions sorted by (kind, value), the order they are inserted in.

    (kind, value) leads the index every correlation uses, and a bulk import's values fall all
    over it; inserted in its order, consecutive rows land on neighbouring index pages, which
    SQLite still has at hand (measured at 1M indicators: the insert about 15% quicker)."""
    # One string per row, kind and value joined by the smallest character, sorts as the pair
    # would, in half the time of comparing tuples.
    keys = [row[1] + "\0" + row[2] for row in rows]
    return sorted(range(len(rows)), key=keys.__getitem__)


class NewIndicators(Sequence):
    """The indicators an import added, as saved model instances, made when first read.

    A bulk import of 10,000 values need not pay for 10,000 model instances (about 25 µs each,
    as much as the insert itself) when its caller only counts them; a caller that reads them
    gets them exactly as a fetch would, without a query."""

    _FIELDS = ("id", *COLUMNS, "review_asked_at")

    def __init__(self, report: Report, ids: list[int], rows: list[tuple]):
        self._report, self._ids, self._rows, self._made = report, ids, rows, None

    def __len__(self):
        return len(self._ids)

    def __getitem__(self, index):
        return self._instances()[index]

    def __eq__(self, other):
        return list(self) == list(other) if isinstance(other, Sequence) else NotImplemented

    def ids(self) -> list[int]:
        return list(self._ids)

    def _instances(self) -> list[Indicator]:
        if self._made is None:
            self._made = [self._instance(pk, row) for pk, row in zip(self._ids, self._rows, strict=True)]
        return self._made

    def _instance(self, pk, row) -> Indicator:
        indicator = Indicator.from_db(None, self._FIELDS, (pk, *row, None))
        indicator.report = self._report
        return indicator


def _enqueue_matching(report_id: int, first_id: int, last_id: int) -> None:
    from .tasks import match_watches_for_indicators

    # The range, not the ids: a task's arguments are stored as JSON, and 10,000 ids cost as
    # much to encode and store as a tenth of the import.
    match_watches_for_indicators.enqueue(report_id, first_id, last_id)


@transaction.atomic
def remove_indicator(indicator: Indicator, *, acting_user, ip=None) -> None:
    """Take an indicator off a report (its editors only)."""
    require_editable(indicator.report, acting_user)
    audit.record("indicators.remove", actor=acting_user, organisation_id=indicator.report.owner_org_id,
                 target=indicator.report, subject_organisation_id=indicator.report.owner_org_id,
                 detail={"indicator": indicator.pk, "kind": indicator.kind}, ip=ip)
    indicator.delete()


@transaction.atomic
def record_sighting(indicator: Indicator, *, acting_user, kind: str = SightingKind.SEEN, seen_at=None,
                    port=None, place: str = "", organisation=None, ip=None) -> Sighting:
    """Say of an indicator one may see: seen at my port too, a false positive, or expired.

    The caller found `indicator` through `Indicator.objects.visible_to(acting_user)` (and
    answers 404 otherwise); this checks it again, so a sighting never lands on a report its
    author may not read. The sighting is the organisation's word (`organisation`, or the
    person's first organisation whose role allows comments); `port`, if given, is one of its
    ports. It reaches whoever the report reaches."""
    if not Indicator.objects.visible_to(acting_user).filter(pk=indicator.pk).exists():
        raise PermissionDenied(_("You may not see this indicator."))
    membership = _sighting_membership(acting_user, organisation)
    if kind not in SightingKind.values:
        raise ValidationError({"kind": _("Unknown kind of sighting.")})
    seen_at = seen_at or timezone.now()
    if timezone.is_naive(seen_at):
        raise ValidationError({"seen_at": _("Give the time of the sighting with its time zone.")})
    if seen_at > timezone.now() + timedelta(minutes=5):
        raise ValidationError({"seen_at": _("A sighting cannot be in the future.")})
    if port is not None and port.organisation_id != membership.organisation_id:
        raise ValidationError({"port": _("Choose one of your organisation's ports.")})
    sighting = Sighting(indicator=indicator, organisation=membership.organisation, reported_by=acting_user,
                        kind=kind, seen_at=seen_at, port=port, place=(place or "").strip())
    sighting.full_clean()
    sighting.save()
    report = indicator.report
    audit.record("indicators.sighting", actor=acting_user, organisation_id=membership.organisation_id,
                 target=report, subject_organisation_id=report.owner_org_id,
                 detail={"indicator": indicator.pk, "kind": kind}, ip=ip)
    return sighting


def _sighting_membership(user, organisation=None):
    from port2port.organisations.models import Membership

    memberships = Membership.objects.active().filter(user=user).select_related("organisation")
    if organisation is not None:
        memberships = memberships.filter(organisation=organisation)
    for membership in memberships.order_by("organisation__name"):
        if membership.grants(Permission.REPORTS_COMMENT):
            return membership
    raise PermissionDenied(_("Your role does not allow this."))


@transaction.atomic
def create_watch(*, acting_user, organisation, kind: str, raw: str, label: str = "", ip=None) -> Watch:
    """An organisation starts looking for a value. Existing indicators are matched at once
    (in the background), new ones as they arrive.

    What each side learns (hit/no-hit deconfliction, see tasks.record_match): when the value
    turns up in a report the organisation may see, it gets a hit; when it may not, it learns
    nothing, and that report's owner is told that another organisation (not which) looks for
    that value of its report. The watch itself is never shown outside the organisation."""
    membership_granting(acting_user, organisation, Permission.REPORTS_CREATE)
    if kind not in REGISTRY:
        raise ValidationError({"kind": _("Unknown kind of indicator.")})
    try:
        found = normalise(kind, raw)
    except IndicatorError as error:
        raise ValidationError({"value": str(error.message)}) from None
    try:
        with transaction.atomic():
            watch = Watch.objects.create(organisation=organisation, kind=kind, value=found.value,
                                         display=found.display, label=label.strip()[:200], created_by=acting_user)
    except IntegrityError:
        raise ValidationError({"value": _("Your organisation already watches this value.")}) from None
    audit.record("indicators.watch", actor=acting_user, organisation_id=organisation.pk, target=watch,
                 subject_organisation_id=organisation.pk, detail={"kind": kind}, ip=ip)
    transaction.on_commit(lambda: _enqueue_watch(watch.pk))
    return watch


def _enqueue_watch(watch_id: int) -> None:
    from .tasks import match_watch

    match_watch.enqueue(watch_id)


@transaction.atomic
def stop_watch(watch: Watch, *, acting_user, ip=None) -> None:
    """Stop looking for a value; its past hits stay in the log."""
    membership_granting(acting_user, watch.organisation, Permission.REPORTS_CREATE)
    watch.is_active = False
    watch.save(update_fields=["is_active"])
    audit.record("indicators.unwatch", actor=acting_user, organisation_id=watch.organisation_id, target=watch,
                 subject_organisation_id=watch.organisation_id, ip=ip)


@transaction.atomic
def keep_indicator(indicator: Indicator, *, acting_user, reason: str, ip=None) -> Indicator:
    """The owner keeps a personal indicator past its review date, saying why."""
    require_editable(indicator.report, acting_user)
    if indicator.kind not in PERSONAL_KINDS:
        raise ValidationError({"indicator": _("Only person and phone indicators come up for review.")})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why this must be kept.")})
    if len(reason) > 300:
        raise ValidationError({"reason": _("A reason has at most %(n)d characters.") % {"n": 300}})
    indicator.kept_reason = reason
    indicator.review_at = review_date()
    indicator.review_asked_at = None
    indicator.save(update_fields=["kept_reason", "review_at", "review_asked_at"])
    audit.record("indicators.keep", actor=acting_user, organisation_id=indicator.report.owner_org_id,
                 target=indicator.report, subject_organisation_id=indicator.report.owner_org_id,
                 detail={"indicator": indicator.pk, "kind": indicator.kind}, ip=ip)
    return indicator


@transaction.atomic
def purge_indicator(indicator: Indicator, *, acting_user=None, ip=None) -> None:
    """Delete a personal indicator for good: gone from search, correlation and exports. The
    owner's editors purge by hand; the retention run purges what nobody kept (no acting user)."""
    if acting_user is not None:
        require_editable(indicator.report, acting_user)
    report = indicator.report
    audit.record("indicators.purge", actor=acting_user, organisation_id=report.owner_org_id, target=report,
                 subject_organisation_id=report.owner_org_id,
                 detail={"indicator": indicator.pk, "kind": indicator.kind, "by": "owner" if acting_user else "retention"},
                 ip=ip)
    indicator.delete()


@dataclass(frozen=True)
class RetentionRun:
    """What one retention run did: owners asked about, indicators purged."""

    asked: int
    purged: int
    reports_asked: int


def run_retention(now=None) -> RetentionRun:
    """The daily retention run. Personal indicators past their review date are put on their
    owner's review list (asked once); those asked more than RETENTION_GRACE_DAYS ago and not
    kept since (keeping moves the review date on and clears the question) are purged.
    Running it twice on the same day does nothing the second time."""
    now = now or timezone.now()
    purged = _purge_unkept(now)
    asked, reports_asked = _ask_owners(now)
    return RetentionRun(asked=asked, purged=purged, reports_asked=reports_asked)


def _purge_unkept(now) -> int:
    deadline = now - timedelta(days=settings.RETENTION_GRACE_DAYS)
    due = (Indicator.objects.due_for_review(now).filter(review_asked_at__lte=deadline)
           .select_related("report"))
    # A list, not an iterator: SQLite gives no isolation between a running read and deletes
    # from the same table on one connection.
    purged = 0
    for indicator in list(due):
        purge_indicator(indicator)
        purged += 1
    return purged


@transaction.atomic
def _ask_owners(now) -> tuple[int, int]:
    due = Indicator.objects.due_for_review(now).filter(review_asked_at__isnull=True)
    per_report = defaultdict(int)
    owners = {}
    for report_id, owner_id in due.values_list("report_id", "report__owner_org_id"):
        per_report[report_id] += 1
        owners[report_id] = owner_id
    asked = due.update(review_asked_at=now)
    for report_id, count in per_report.items():
        # One event per report, never the values: the audit log must not keep what is purged.
        audit.record("indicators.review_asked", organisation_id=owners[report_id],
                     subject_organisation_id=owners[report_id], target=Report(pk=report_id),
                     detail={"count": count})
    return asked, len(per_report)
