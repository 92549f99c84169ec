"""The network directory, and an organisation's own overview page."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from port2port.core.permissions import Permission

from ..models import Membership, Organisation
from .access import _membership_in, _my_memberships


@login_required
def directory(request):
    """Who is in the network, with their kind and ports: names only, which are not secret."""
    organisations = (Organisation.objects.filter(is_active=True, is_network_member=True)
                     .prefetch_related("ports").order_by("name"))
    mine = set(_my_memberships(request.user).values_list("organisation_id", flat=True))
    return render(request, "organisations/directory.html", {"organisations": organisations, "mine": mine})


@login_required
def mine(request):
    """The person's own organisation (the first, when they belong to several)."""
    membership = _my_memberships(request.user).select_related("organisation").order_by("created_at").first()
    if membership is None:
        return redirect("organisations:directory")
    return redirect("organisations:detail", slug=membership.organisation.slug)


@login_required
def detail(request, slug):
    membership = _membership_in(request, slug)
    organisation = membership.organisation
    groups = organisation.sharing_groups.select_related("owner").order_by("name")
    return render(request, "organisations/detail.html", {
        "organisation": organisation, "membership": membership, "ports": organisation.ports.all(),
        "groups": groups, "member_count": Membership.objects.active().filter(organisation=organisation).count(),
        "can_manage": membership.grants(Permission.MEMBERS_MANAGE),
        "can_keys": membership.grants(Permission.API_KEYS_MANAGE),
        "can_audit": membership.grants(Permission.AUDIT_READ),
    })
