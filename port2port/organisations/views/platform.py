"""Platform administration: organisations and accounts, never content. These pages do not
exist for anyone but an active platform admin."""

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from port2port.core.permissions import Role

from .. import actions
from ..forms import OrganisationForm, PlatformInviteForm, PortForm
from ..models import Membership, Organisation
from .access import INVALID, _ip


ACCOUNTS_PAGE_SIZE = 50


def platform_admin_only(view):
    """Platform pages do not exist for anyone else (404, not 403: they cannot see them)."""

    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not (request.user.is_active and request.user.is_platform_admin):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


@platform_admin_only
def platform_organisations(request):
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = actions.create_organisation(acting_user=request.user, ip=_ip(request), **form.cleaned_data)
        except ValidationError as error:
            form.add_action_error(error)
        else:
            messages.success(request, _("%(organisation)s added.") % {"organisation": organisation})
            return redirect("organisations:platform_organisation", slug=organisation.slug)
    organisations = (Organisation.objects.prefetch_related("ports")
                     .annotate(member_count=Count("memberships", filter=Q(memberships__is_active=True)))
                     .order_by("-is_active", "name"))
    return render(request, "organisations/platform_organisations.html",
                  {"organisations": organisations, "form": form}, status=INVALID if form.is_bound else 200)


def _platform_organisation_page(request, organisation, *, form=None, port_form=None, status=200):
    admins = (Membership.objects.active().filter(organisation=organisation, role=Role.ORG_ADMIN)
              .select_related("user").order_by("user__email"))
    initial = {name: getattr(organisation, name) for name in actions.ORGANISATION_FIELDS}
    return render(request, "organisations/platform_organisation.html", {
        "organisation": organisation, "ports": organisation.ports.all(), "admins": admins,
        "form": form or OrganisationForm(initial=initial), "port_form": port_form or PortForm(),
        "invite_form": PlatformInviteForm(initial={"organisation": organisation, "role": Role.ORG_ADMIN}),
    }, status=status)


@platform_admin_only
def platform_organisation(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    if request.method != "POST":
        return _platform_organisation_page(request, organisation)
    form = OrganisationForm(request.POST)
    if form.is_valid():
        try:
            actions.update_organisation(organisation, acting_user=request.user, ip=_ip(request), **form.cleaned_data)
        except ValidationError as error:
            form.add_action_error(error)
            organisation.refresh_from_db()
        else:
            messages.success(request, _("Organisation saved."))
            return redirect("organisations:platform_organisation", slug=slug)
    return _platform_organisation_page(request, organisation, form=form, status=INVALID)


@platform_admin_only
@require_POST
def platform_add_port(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    form = PortForm(request.POST)
    if form.is_valid():
        try:
            port = actions.add_port(acting_user=request.user, organisation=organisation, ip=_ip(request),
                                    **form.cleaned_data)
        except ValidationError as error:
            form.add_action_error(error)
        else:
            messages.success(request, _("Port %(port)s added.") % {"port": port})
            return redirect("organisations:platform_organisation", slug=slug)
    return _platform_organisation_page(request, organisation, port_form=form, status=INVALID)


@platform_admin_only
@require_POST
def platform_set_organisation_active(request, slug, active):
    organisation = get_object_or_404(Organisation, slug=slug)
    actions.set_organisation_active(organisation, acting_user=request.user, active=active, ip=_ip(request))
    if active:
        messages.success(request, _("%(organisation)s is active again.") % {"organisation": organisation})
    else:
        messages.success(request, _("%(organisation)s is deactivated.") % {"organisation": organisation})
    return redirect("organisations:platform_organisation", slug=slug)


@platform_admin_only
def platform_accounts(request):
    """Every account with its seats; an invitation to any organisation."""
    form = PlatformInviteForm(request.POST or None, initial={"organisation": request.GET.get("organisation")})
    if request.method == "POST" and form.is_valid():
        try:
            invitation = actions.invite_member(acting_user=request.user, ip=_ip(request), **form.cleaned_data)
        except ValidationError as error:
            form.add_action_error(error)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
            return redirect("organisations:platform_accounts")
    query = (request.GET.get("q") or "").strip()[:100]
    accounts = get_user_model().objects.prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.select_related("organisation"))).order_by("-is_active", "email")
    if query:
        accounts = accounts.filter(Q(email__icontains=query) | Q(full_name__icontains=query))
    page = Paginator(accounts, ACCOUNTS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "organisations/platform_accounts.html",
                  {"page": page, "form": form, "query": query,
                   "filter_query": f"{urlencode({'q': query})}&" if query else ""},
                  status=INVALID if form.is_bound else 200)


@platform_admin_only
@require_POST
def platform_set_account_active(request, pk, active):
    account = get_object_or_404(get_user_model(), pk=pk)
    act = actions.reactivate_account if active else actions.deactivate_account
    try:
        act(account, acting_user=request.user, ip=_ip(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        text = _("%(person)s can sign in again.") if active else _("%(person)s can no longer sign in.")
        messages.success(request, text % {"person": account})
    return redirect("organisations:platform_accounts")
