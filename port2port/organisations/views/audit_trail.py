"""The organisation's audit trail, for its admins."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render

from port2port.core.models import AuditEvent
from port2port.core.permissions import Permission

from ..forms import AuditFilterForm
from ..models import Organisation
from .access import _membership_in, _require


AUDIT_PAGE_SIZE = 50


@login_required
def audit_trail(request, slug):
    """What the organisation's people did, and what was done to its items, newest first.
    Its admins see it; nobody else does, platform admins included."""
    membership = _membership_in(request, slug)
    _require(membership, Permission.AUDIT_READ)
    organisation = membership.organisation
    events = AuditEvent.objects.filter(Q(organisation_id=organisation.pk) | Q(subject_organisation_id=organisation.pk))
    action_names = events.order_by("action").values_list("action", flat=True).distinct()
    form = AuditFilterForm(request.GET or None, actions=list(action_names))
    chosen = form.cleaned_data["action"] if form.is_valid() else ""
    if chosen:
        events = events.filter(action=chosen)
    page = Paginator(events.order_by("-seq"), AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    org_ids = {e.organisation_id for e in page} | {e.subject_organisation_id for e in page}
    names = {o.pk: o.display_name for o in Organisation.objects.filter(pk__in=org_ids - {None})}
    rows = [(e, names.get(e.organisation_id), names.get(e.subject_organisation_id)) for e in page]
    return render(request, "organisations/audit.html", {
        "organisation": organisation, "page": page, "rows": rows, "form": form,
        "filter_query": f"{urlencode({'action': chosen})}&" if chosen else "",
    })
