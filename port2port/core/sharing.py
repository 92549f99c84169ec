"""The sharing rule: who may read and who may edit a shared item. Pure: no database access.

Every shareable model builds its `visible_to` and `editable_by` querysets from the two
functions at the bottom of this module, so the rule lives in one place. docs/sharing-rules.md
states the same rule in plain words; the tests hold both to it.

A shareable model has these fields: `tlp`, `audience`, `status`, `author` (a person),
`owner_org` (an organisation), `sharing_group`, and the many-to-many `recipient_orgs` and
`recipient_people`.
"""

from dataclasses import dataclass, field

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _


class Tlp(models.TextChoices):
    """Traffic Light Protocol 2.0: what recipients may do with an item."""

    CLEAR = "clear", "TLP:CLEAR"
    GREEN = "green", "TLP:GREEN"
    AMBER = "amber", "TLP:AMBER"
    AMBER_STRICT = "amber+strict", "TLP:AMBER+STRICT"
    RED = "red", "TLP:RED"


class Audience(models.TextChoices):
    """Who receives an item. Separate from the TLP label, which says what they may do with it."""

    OWNER = "owner", _("My organisation only")
    ORGANISATIONS = "organisations", _("Named organisations")
    GROUP = "group", _("A sharing group")
    NETWORK = "network", _("The whole network")
    PUBLIC = "public", _("Public")
    PEOPLE = "people", _("Named people")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SHARED = "shared", _("Shared")
    CLOSED = "closed", _("Closed")


# From most restrictive to most open; loosening moves right.
TLP_ORDER = [Tlp.RED, Tlp.AMBER_STRICT, Tlp.AMBER, Tlp.GREEN, Tlp.CLEAR]
AUDIENCE_ORDER = {
    Audience.PEOPLE: 0,
    Audience.OWNER: 1,
    Audience.ORGANISATIONS: 2,
    Audience.GROUP: 2,
    Audience.NETWORK: 3,
    Audience.PUBLIC: 4,
}
# Labels a recipient may not pass on, export in bulk or send to a partner system.
NO_ONWARD_SHARING = {Tlp.RED, Tlp.AMBER_STRICT}


class MarkingError(ValueError):
    """A label and an audience that may not go together; `field` names the field to fix."""

    def __init__(self, field: str, message):
        super().__init__(message)
        self.field = field
        self.message = message


def check_marking(tlp: str, audience: str) -> None:
    """Raise MarkingError unless the label and the audience form an allowed pair."""
    if tlp not in Tlp.values:
        raise MarkingError("tlp", _("Unknown TLP label."))
    if audience not in Audience.values:
        raise MarkingError("audience", _("Unknown audience."))
    if tlp == Tlp.RED and audience != Audience.PEOPLE:
        raise MarkingError("audience", _("TLP:RED goes only to named people."))
    if audience == Audience.PEOPLE and tlp != Tlp.RED:
        raise MarkingError("audience", _("Only TLP:RED items go to named people."))
    if audience == Audience.PUBLIC and tlp != Tlp.CLEAR:
        raise MarkingError("audience", _("Only TLP:CLEAR items may be public."))


def is_loosening(old_tlp: str, old_audience: str, new_tlp: str, new_audience: str) -> bool:
    """True when the new marking lets the item travel further than the old one."""
    looser_label = TLP_ORDER.index(Tlp(new_tlp)) > TLP_ORDER.index(Tlp(old_tlp))
    wider_audience = AUDIENCE_ORDER[Audience(new_audience)] > AUDIENCE_ORDER[Audience(old_audience)]
    return looser_label or wider_audience or old_audience != new_audience


def most_restrictive(*labels: str) -> str:
    """A part is never more open than its whole: the strictest of the labels given."""
    return min((Tlp(label) for label in labels), key=TLP_ORDER.index)


@dataclass(frozen=True)
class Viewer:
    """What the rule needs to know about whoever is reading, read fresh at each request."""

    user_id: int | None = None
    org_ids: frozenset[int] = field(default_factory=frozenset)
    group_ids: frozenset[int] = field(default_factory=frozenset)
    network_member: bool = False
    # Organisations where this person is a security officer or an admin: they edit its items.
    editor_org_ids: frozenset[int] = field(default_factory=frozenset)
    # RED names individual people; an organisation's API key is not a person.
    may_read_red: bool = True
    public_pages: bool = False

    @property
    def is_anonymous(self) -> bool:
        return self.user_id is None


NOBODY = Q(pk__in=[])


def _fields(prefix: str):
    """Q for the item's own fields, or for an item reached through a relation: with prefix
    "report__", the rule filters indicators by their report in the same query (a join that an
    index on the indicator can drive, instead of a list of every visible report)."""
    return lambda **lookups: Q(**{prefix + name: value for name, value in lookups.items()})


def editable_q(viewer: Viewer, prefix: str = "") -> Q:
    """Items this viewer may edit: the author; for labels other than RED also the owner's
    security officers and admins. RED is the author's alone. Authors act for the owner, so
    an author who has left the owner organisation keeps no rights over its items."""
    if viewer.is_anonymous:
        return NOBODY
    F = _fields(prefix)
    by_author = F(author_id=viewer.user_id, owner_org_id__in=viewer.org_ids)
    by_owner_officer = ~F(tlp=Tlp.RED) & F(owner_org_id__in=viewer.editor_org_ids)
    return _without_red_unless_allowed(viewer, by_author | by_owner_officer, F)


def _without_red_unless_allowed(viewer: Viewer, q: Q, F) -> Q:
    # RED names people; a viewer that is not a person (an organisation's API key) gets none,
    # not even the RED items its maker wrote.
    return q if viewer.may_read_red else q & ~F(tlp=Tlp.RED)


def readable_q(viewer: Viewer, model, prefix: str = "") -> Q:
    """Items of `model` this viewer may read: those they may edit, plus shared items whose
    label and audience reach them (the table in ARCHITECTURE.md section 2). With `prefix`,
    the same rule for rows that point at such items (see _fields)."""
    F = _fields(prefix)
    public = F(audience=Audience.PUBLIC, tlp=Tlp.CLEAR)
    reached = public if viewer.public_pages else NOBODY
    if not viewer.is_anonymous:
        reached |= _reached_by_audience(viewer, model, prefix)
        # A named RED recipient reads while they hold some active membership: an organisation
        # switched off takes its people's access with it, RED included.
        if viewer.may_read_red and viewer.org_ids:
            named = _has_recipient(model, "recipient_people", [viewer.user_id], prefix)
            reached |= F(tlp=Tlp.RED) & named
    readable = editable_q(viewer, prefix) | (~F(status=Status.DRAFT) & reached)
    return _without_red_unless_allowed(viewer, readable, F)


def _has_recipient(model, relation: str, ids, prefix: str = "") -> Q:
    """An EXISTS on the many-to-many table: a join would repeat rows and break counts."""
    m2m = model._meta.get_field(relation)
    rows = m2m.remote_field.through.objects.filter(
        **{m2m.m2m_field_name(): OuterRef(prefix + "pk"), f"{m2m.m2m_reverse_field_name()}__in": ids}
    )
    return Q(Exists(rows))


def _reached_by_audience(viewer: Viewer, model, prefix: str = "") -> Q:
    F = _fields(prefix)
    not_red = ~F(tlp=Tlp.RED)
    reached = F(owner_org_id__in=viewer.org_ids)
    named_orgs = _has_recipient(model, "recipient_orgs", viewer.org_ids, prefix)
    reached |= F(audience=Audience.ORGANISATIONS) & named_orgs
    reached |= F(audience=Audience.GROUP, sharing_group_id__in=viewer.group_ids)
    if viewer.network_member:
        # A public item reaches at least the whole network, even while public pages are off.
        reached |= F(audience__in=[Audience.NETWORK, Audience.PUBLIC])
    return not_red & reached
