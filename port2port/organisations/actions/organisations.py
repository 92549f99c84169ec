"""A platform admin's writes to organisations and their ports."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from port2port.core import audit

from ..models import Organisation, Port
from .permissions import require_platform_admin


@transaction.atomic
def create_organisation(*, acting_user, name: str, kind: str, short_name: str = "", country: str = "BE",
                        is_network_member: bool = True, slug: str = "", ip=None) -> Organisation:
    """A platform admin adds an organisation to the network."""
    require_platform_admin(acting_user)
    organisation = Organisation(
        name=name.strip(), short_name=short_name.strip(), kind=kind, country=country.upper(),
        is_network_member=is_network_member, slug=slug or slugify(name)[:50],
    )
    organisation.full_clean()
    organisation.save()
    audit.record("organisations.create", actor=acting_user, target=organisation,
                 subject_organisation_id=organisation.pk, detail={"kind": kind}, ip=ip)
    return organisation


@transaction.atomic
def add_port(*, acting_user, organisation: Organisation, locode: str, name: str, latitude: float,
             longitude: float, ip=None) -> Port:
    """A platform admin records a port that an organisation runs."""
    require_platform_admin(acting_user)
    port = Port(organisation=organisation, locode=locode.strip().upper(), name=name.strip(),
                latitude=latitude, longitude=longitude)
    port.full_clean()
    port.save()
    audit.record("organisations.add_port", actor=acting_user, target=port,
                 subject_organisation_id=organisation.pk, detail={"locode": port.locode}, ip=ip)
    return port


ORGANISATION_FIELDS = ("name", "short_name", "kind", "country", "is_network_member")


@transaction.atomic
def update_organisation(organisation: Organisation, *, acting_user, ip=None, **changes) -> Organisation:
    """A platform admin corrects an organisation's name, kind, country or network membership."""
    require_platform_admin(acting_user)
    unknown = set(changes) - set(ORGANISATION_FIELDS)
    if unknown:
        raise ValidationError({name: _("Unknown field.") for name in sorted(unknown)})
    before = {name: getattr(organisation, name) for name in changes}
    for name, value in changes.items():
        setattr(organisation, name, value.strip() if isinstance(value, str) else value)
    if "country" in changes:
        organisation.country = organisation.country.upper()
    organisation.full_clean()
    organisation.save()
    changed = {name: [before[name], getattr(organisation, name)] for name in changes
               if before[name] != getattr(organisation, name)}
    audit.record("organisations.update", actor=acting_user, target=organisation,
                 subject_organisation_id=organisation.pk, detail={"changed": changed}, ip=ip)
    return organisation


@transaction.atomic
def set_organisation_active(organisation: Organisation, *, acting_user, active: bool, ip=None) -> Organisation:
    """A platform admin deactivates an organisation (its members and keys lose access to
    everything at their next request, since memberships are read at each request) or
    reactivates it."""
    require_platform_admin(acting_user)
    if organisation.is_active == active:
        return organisation
    organisation.is_active = active
    organisation.save(update_fields=["is_active"])
    action = "organisations.reactivate" if active else "organisations.deactivate"
    audit.record(action, actor=acting_user, target=organisation, subject_organisation_id=organisation.pk, ip=ip)
    return organisation
