"""What every organisation page starts from: the person's active seats, their seat in the
organisation a page names (or 404, as if it did not exist), and the 403 for a control their
role does not allow; with the client address the actions audit and the status of a form
shown again."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from port2port.core.permissions import Permission
from port2port.core.views import client_ip

from ..models import Membership


INVALID = 400  # the status of a page shown again because its form had bad input


def _ip(request) -> str | None:
    return client_ip(request)


def _my_memberships(user):
    return Membership.objects.active().filter(user=user)


def _membership_in(request, slug) -> Membership:
    """The person's active seat in the organisation named by `slug`, or 404 (as if the
    organisation did not exist) when they have none."""
    return get_object_or_404(_my_memberships(request.user).select_related("organisation"), organisation__slug=slug)


def _require(membership: Membership, permission: Permission) -> None:
    if not membership.grants(permission):
        raise PermissionDenied(_("Your role in this organisation does not allow this."))
