"""Sensor and zone pages. Thin: read through `visible_to`, check the input with a form, call one
action from `actions.py`, render. A sensor or zone of another organisation is a 404, exactly
like a missing one; members who may see but not manage them (analysts, viewers) get the pages
read-only, and a 403 if they post anyway.

A new credential's token is on one response only (issue or rotate); it is never stored in clear.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from port2port.core.permissions import Permission
from port2port.core.views import client_ip
from port2port.organisations.models import Port, viewer_for
from port2port.reports.forms import organisations_where

from . import actions
from .forms import CredentialForm, SensorForm, ZoneForm
from .models import Event, Sensor, SensorCredential, Zone

INVALID = 400  # a page shown again because its form had bad input
RECENT_EVENTS = 20


def managed_organisations(user) -> list:
    """The organisations whose sensors, zones and rules this person manages."""
    return list(organisations_where(user, Permission.SENSORS_MANAGE).order_by("name"))


def manages(user, organisation_id: int, managed=None) -> bool:
    managed = managed_organisations(user) if managed is None else managed
    return any(organisation.pk == organisation_id for organisation in managed)


def require_managed(user) -> list:
    """The organisations the person manages, or 403 when there are none."""
    managed = managed_organisations(user)
    if not managed:
        raise PermissionDenied(_("Only security officers and admins of the organisation manage its sensors."))
    return managed


def visible_sensor(request, pk, queryset=None) -> Sensor:
    queryset = Sensor.objects.select_related("port", "organisation") if queryset is None else queryset
    return get_object_or_404(queryset.visible_to(viewer_for(request.user)), pk=pk)


def visible_zone(request, pk) -> Zone:
    return get_object_or_404(Zone.objects.visible_to(viewer_for(request.user)).select_related("organisation"), pk=pk)


def visible_credential(request, pk) -> SensorCredential:
    sensors = Sensor.objects.visible_to(viewer_for(request.user))
    return get_object_or_404(SensorCredential.objects.filter(sensor__in=sensors)
                             .select_related("sensor", "sensor__organisation"), pk=pk)


# --- Sensor state --------------------------------------------------------------------------------

def sensor_state(sensor: Sensor, now) -> tuple[str, str]:
    """(css name, words) of whether the sensor is heard as often as it should be."""
    if not sensor.is_active:
        return "inactive", _("Inactive")
    if sensor.offline_since is not None:
        return "offline", _("Offline")
    if sensor.last_event_at is None:
        return "never", _("Never heard")
    if sensor.expected_interval and (now - sensor.last_event_at).total_seconds() > sensor.expected_interval * 60:
        return "offline", _("Offline")  # silent too long; the periodic check raises the alert shortly
    return "online", _("Online")


# --- Sensors -----------------------------------------------------------------------------------

@login_required
@require_GET
def sensor_list(request):
    viewer = viewer_for(request.user)
    sensors = Sensor.objects.visible_to(viewer).select_related("port", "organisation").order_by("name")
    now = timezone.now()
    rows = [{"sensor": sensor, "state": sensor_state(sensor, now)} for sensor in sensors]
    return render(request, "sensors/sensor_list.html", {
        "rows": rows, "can_manage": bool(managed_organisations(request.user)),
        "several_organisations": len(viewer.org_ids) > 1,
    })


@login_required
@require_GET
def sensor_detail(request, pk):
    sensor = visible_sensor(request, pk)
    return render(request, "sensors/sensor_detail.html", sensor_context(request, sensor))


def sensor_context(request, sensor, *, credential_form=None) -> dict:
    events = (Event.objects.visible_to(viewer_for(request.user)).filter(sensor=sensor)
              .select_related("zone").recent()[:RECENT_EVENTS])
    return {
        "sensor": sensor, "state": sensor_state(sensor, timezone.now()),
        "zones": sensor.zones.all(), "events": events, "now": timezone.now(),
        "credentials": sensor.credentials.select_related("created_by"),
        "can_manage": manages(request.user, sensor.organisation_id),
        "credential_form": credential_form or CredentialForm(),
    }


@login_required
@require_http_methods(["GET", "POST"])
def sensor_create(request):
    managed = require_managed(request.user)
    form = SensorForm(request.POST or None, organisations=managed)
    if request.method == "POST" and form.is_valid():
        try:
            sensor = actions.register_sensor(acting_user=request.user, organisation=form.chosen_organisation(),
                                             zones=form.cleaned_data["zones"], ip=client_ip(request), **form.values())
        except ValidationError as error:
            form.add_action_error(error)
        else:
            messages.success(request, _("The sensor is registered. Issue it a credential so that it can send events."))
            return redirect("sensors:detail", pk=sensor.pk)
    return _sensor_form_page(request, form, start_ports=managed)


@login_required
@require_http_methods(["GET", "POST"])
def sensor_edit(request, pk):
    sensor = visible_sensor(request, pk)
    actions.require_sensor_manager(request.user, sensor.organisation)
    organisations = [sensor.organisation]
    if request.method == "POST":
        form = SensorForm(request.POST, organisations=organisations, editing=True)
        if form.is_valid():
            try:
                actions.change_sensor(sensor, acting_user=request.user, zones=form.cleaned_data["zones"],
                                      ip=client_ip(request), **form.values())
            except ValidationError as error:
                form.add_action_error(error)
                sensor.refresh_from_db()  # the action set the refused values on this instance
            else:
                messages.success(request, _("Your changes are saved."))
                return redirect("sensors:detail", pk=sensor.pk)
    else:
        form = SensorForm(initial=SensorForm.initial_from(sensor), organisations=organisations, editing=True)
    return _sensor_form_page(request, form, sensor=sensor, start_ports=organisations)


def _sensor_form_page(request, form, *, sensor=None, start_ports):
    """The form with a map to place the sensor by a click, among the zones and other sensors."""
    context = map_context(viewer_for(request.user), exclude_sensor=sensor)
    context.update({"form": form, "sensor": sensor, "creating": sensor is None, "start": start_of(start_ports)})
    return render(request, "sensors/sensor_form.html", context, status=INVALID if form.is_bound else 200)


def start_of(organisations) -> dict | None:
    """Where a map opens when there is nothing to show yet: the organisation's first port."""
    return Port.objects.filter(organisation__in=organisations).order_by("name").values("latitude", "longitude").first()


# --- Credentials -------------------------------------------------------------------------------

@login_required
@require_POST
def credential_issue(request, pk):
    sensor = visible_sensor(request, pk)
    actions.require_sensor_manager(request.user, sensor.organisation)
    form = CredentialForm(request.POST)
    if form.is_valid():
        try:
            credential, token = actions.issue_credential(sensor, acting_user=request.user, days=form.cleaned_data["days"],
                                                         ip=client_ip(request))
        except ValidationError as error:
            form.add_error("days" if "days" in getattr(error, "error_dict", {}) else None, error.messages)
        else:
            return token_page(request, credential, token)
    return render(request, "sensors/sensor_detail.html", sensor_context(request, sensor, credential_form=form),
                  status=INVALID)


def token_page(request, credential, token, *, replaced=None):
    """The one response that shows a token. Nothing caches it (no-store for signed-in pages)."""
    return render(request, "sensors/credential_created.html", {
        "sensor": credential.sensor, "credential": credential, "token": token, "replaced": replaced,
    })


@login_required
@require_POST
def credential_rotate(request, pk):
    old = visible_credential(request, pk)
    try:
        new, token = actions.rotate_credential(old, acting_user=request.user, ip=client_ip(request))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("sensors:detail", pk=old.sensor_id)
    return token_page(request, new, token, replaced=old)


@login_required
@require_POST
def credential_revoke(request, pk):
    credential = visible_credential(request, pk)
    actions.revoke_credential(credential, acting_user=request.user, ip=client_ip(request))
    messages.success(request, _("The credential %(credential)s no longer works.") % {"credential": credential})
    return redirect("sensors:detail", pk=credential.sensor_id)


# --- Zones -------------------------------------------------------------------------------------

def zone_shape(zone: Zone, *, url: str = "") -> dict:
    """A zone as the map script reads it."""
    return {"id": zone.pk, "name": zone.name, "kind": zone.get_kind_display(), "outline": zone.outline, "url": url}


def map_context(viewer, *, exclude_zone=None, exclude_sensor=None, link_zones=False) -> dict:
    """What every zone map shows besides the zone itself: the organisation's other zones, its
    sensors that have a position, and the ports (to find one's way without map tiles)."""
    zones = Zone.objects.visible_to(viewer).order_by("name")
    if exclude_zone is not None:
        zones = zones.exclude(pk=exclude_zone.pk)
    sensors = (Sensor.objects.visible_to(viewer).filter(latitude__isnull=False)
               .exclude(pk=getattr(exclude_sensor, "pk", None)).values("name", "latitude", "longitude"))
    return {
        "zones_data": [zone_shape(zone, url=reverse("sensors:zone_edit", args=[zone.pk]) if link_zones else "")
                       for zone in zones],
        "sensors_data": list(sensors),
        "ports": list(Port.objects.values("name", "locode", "latitude", "longitude")),
    }


@login_required
@require_GET
def zone_list(request):
    viewer = viewer_for(request.user)
    zones = (Zone.objects.visible_to(viewer).select_related("port")
             .annotate(sensor_count=Count("sensors", distinct=True), rule_count=Count("rules", distinct=True))
             .order_by("name"))
    can_manage = bool(managed_organisations(request.user))
    context = map_context(viewer, link_zones=can_manage)
    context.update({"zones": zones, "can_manage": can_manage})
    return render(request, "sensors/zone_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def zone_create(request):
    managed = require_managed(request.user)
    form = ZoneForm(request.POST or None, organisations=managed)
    if request.method == "POST" and form.is_valid():
        try:
            zone = actions.define_zone(acting_user=request.user, organisation=form.chosen_organisation(),
                                       ip=client_ip(request), **form.values())
        except ValidationError as error:
            form.add_action_error(error)
        else:
            messages.success(request, _("The zone “%(name)s” is saved.") % {"name": zone.name})
            return redirect("sensors:zones")
    return _zone_form_page(request, form, start_ports=managed)


@login_required
@require_http_methods(["GET", "POST"])
def zone_edit(request, pk):
    zone = visible_zone(request, pk)
    actions.require_sensor_manager(request.user, zone.organisation)
    if request.method == "POST":
        form = ZoneForm(request.POST, organisations=[zone.organisation], editing=True)
        if form.is_valid():
            try:
                actions.change_zone(zone, acting_user=request.user, ip=client_ip(request), **form.values())
            except ValidationError as error:
                form.add_action_error(error)
                zone.refresh_from_db()  # the action set the refused values on this instance
            else:
                messages.success(request, _("The zone “%(name)s” is saved.") % {"name": zone.name})
                return redirect("sensors:zones")
    else:
        form = ZoneForm(initial=ZoneForm.initial_from(zone), organisations=[zone.organisation], editing=True)
    return _zone_form_page(request, form, zone=zone, start_ports=[zone.organisation])


def _zone_form_page(request, form, *, zone=None, start_ports):
    viewer = viewer_for(request.user)
    context = map_context(viewer, exclude_zone=zone)
    context.update({"form": form, "zone": zone, "start": start_of(start_ports),
                    "rule_count": zone.rules.count() if zone else 0})
    return render(request, "sensors/zone_form.html", context, status=INVALID if form.is_bound else 200)


@login_required
@require_POST
def zone_delete(request, pk):
    zone = visible_zone(request, pk)
    actions.delete_zone(zone, acting_user=request.user, ip=client_ip(request))
    messages.success(request, _("The zone “%(name)s” is deleted.") % {"name": zone.name})
    return redirect("sensors:zones")
