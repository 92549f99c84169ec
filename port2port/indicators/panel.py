"""The indicators panel of a report page: what the report's page needs to show each indicator,
its correlations and its sightings, in a fixed number of queries whatever the count."""

from collections import defaultdict

from django.db.models import Count

from port2port.core.permissions import Permission
from port2port.organisations.models import Membership, ports_of
from port2port.reports.forms import roles_granting
from port2port.reports.models import Report

from . import correlation
from .forms import AddIndicatorForm
from .models import PERSONAL_KINDS, Sighting, SightingKind

MATCHES_OPEN = 5


def panel_context(request, viewer, report, *, can_edit=None, can_sight=None, add_form=None) -> dict:
    """The panel for `report`, which the caller found through `visible_to(viewer)`."""
    user = request.user
    if can_edit is None:
        can_edit = Report.objects.editable_by(viewer).filter(pk=report.pk).exists()
    if can_sight is None:
        can_sight = holds(user, Permission.REPORTS_COMMENT)
    show_common = request.GET.get("common") == "1"
    rows = correlation.correlate(report, viewer, include_common=show_common)
    counts = sighting_counts(report)
    is_owner = report.owner_org_id in viewer.org_ids
    return {
        "report": report,
        "rows": [_row(result, counts, is_owner) for result in rows],
        "can_edit": can_edit,
        "can_sight": can_sight,
        "show_common": show_common,
        "add_form": add_form or AddIndicatorForm(),
        "sighting_kinds": SightingKind.choices,
        "sighting_ports": list(ports_of(user)) if can_sight else [],
    }



def _row(result, counts, is_owner) -> dict:
    indicator = result.indicator
    return {
        "indicator": indicator,
        "correlation": result,
        # A person's name stays with the organisation that wrote it; others see the pseudonym.
        "clear_text": indicator.owner_note if is_owner and indicator.kind == "person" else "",
        "personal": indicator.kind in PERSONAL_KINDS,
        "sightings": counts.get(indicator.pk, []),
        "hidden_common": result.common and not result.matches,
        # A few matches are shown at once; a long list waits for a click.
        "open": len(result.matches) + len(result.fuzzy) <= MATCHES_OPEN,
    }


def sighting_counts(report) -> dict[int, list[dict]]:
    """Per indicator of `report`: how often each kind of sighting was said, per port. Whoever
    sees the report sees its sightings (they travel with it). One query."""
    rows = (
        Sighting.objects.filter(indicator__report=report)
        .values("indicator_id", "kind", "port__name")
        .annotate(n=Count("id"))
        .order_by("indicator_id", "kind", "port__name")
    )
    labels = dict(SightingKind.choices)
    grouped = defaultdict(list)
    for row in rows:
        grouped[row["indicator_id"]].append({
            "kind": row["kind"], "label": labels.get(row["kind"], row["kind"]),
            "port": row["port__name"] or "", "count": row["n"],
        })
    return grouped


def holds(user, permission: Permission) -> bool:
    """Whether the person holds `permission` in any organisation they are active in."""
    if not user.is_authenticated:
        return False
    return Membership.objects.active().filter(user=user, role__in=roles_granting(permission)).exists()
