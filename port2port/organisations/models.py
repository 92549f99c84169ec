"""Organisations, their ports and people, sharing groups and API keys."""

import hashlib
import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from port2port.core.permissions import EDITOR_ROLES, Permission, Role, role_grants
from port2port.core.sharing import Audience, Status, Tlp, Viewer, editable_q, readable_q


class OrganisationKind(models.TextChoices):
    PORT_AUTHORITY = "port_authority", _("Port authority")
    INLAND_PORT = "inland_port", _("Inland port")
    WATERWAY_OPERATOR = "waterway_operator", _("Waterway operator")
    FACILITY_OPERATOR = "facility_operator", _("Terminal or facility operator")
    POLICE = "police", _("Police")
    CUSTOMS = "customs", _("Customs")
    NATIONAL_AUTHORITY = "national_authority", _("National authority")
    COORDINATOR = "coordinator", _("Coordinator")


class Organisation(models.Model):
    """A member of the network: a port, a waterway operator, a police or customs service, an
    authority or a coordinator. Items are owned by an organisation."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    slug = models.SlugField(unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    country = models.CharField(_("country"), max_length=2, default="BE")
    is_network_member = models.BooleanField(_("member of the network"), default=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def display_name(self):
        return self.short_name or self.name


class Port(models.Model):
    """A port (UN/LOCODE) that a port organisation runs; reports happen at ports."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="ports")
    locode = models.CharField(
        _("UN/LOCODE"),
        max_length=5,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{2}[A-Z2-9]{3}$", _("A UN/LOCODE is two letters and three letters or digits, e.g. BEANR."))],
    )
    name = models.CharField(_("name"), max_length=120)
    latitude = models.FloatField(validators=[MinValueValidator(-90), MaxValueValidator(90)])
    longitude = models.FloatField(validators=[MinValueValidator(-180), MaxValueValidator(180)])

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.locode})"


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True, user__is_active=True, organisation__is_active=True)


class Membership(models.Model):
    """A person's place in an organisation, with one role."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, default=Role.ANALYST)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_org")]
        ordering = ["organisation__name"]

    def __str__(self):
        return f"{self.user} @ {self.organisation} ({self.role})"

    def grants(self, permission: Permission) -> bool:
        return self.is_active and role_grants(self.role, permission)


class SharingGroup(models.Model):
    """A named circle of organisations that items can be shared with. Its owner organisation
    manages the members. A working group is a sharing group with a coordinator and a space
    (articles, measures under discussion, meetings: see port2port.workinggroups)."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="owned_groups")
    is_working_group = models.BooleanField(_("working group"), default=False)
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="coordinated_groups",
        verbose_name=_("coordinator"),
    )
    members = models.ManyToManyField(Organisation, through="GroupMembership", related_name="sharing_groups")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class GroupMembership(models.Model):
    """An organisation's seat in a sharing group."""

    group = models.ForeignKey(SharingGroup, on_delete=models.CASCADE)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "organisation"], name="one_seat_per_group")]


class ApiKeyScope(models.TextChoices):
    READ = "read", _("Read")
    WRITE = "write", _("Read and write")


class ApiKeyQuerySet(models.QuerySet):
    def usable(self):
        now = timezone.now()
        return self.filter(
            revoked_at__isnull=True,
            expires_at__gt=now,
            organisation__is_active=True,
            created_by__is_active=True,
            created_by__memberships__organisation=models.F("organisation"),
            created_by__memberships__is_active=True,
        )


class ApiKey(models.Model):
    """An organisation's key for the JSON API, acting with the rights of the member who made
    it, inside that organisation only. Only a hash is stored; the key is shown once."""

    PREFIX = "p2p_org_"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="api_keys")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_keys")
    name = models.CharField(_("name"), max_length=80)
    scope = models.CharField(_("scope"), max_length=8, choices=ApiKeyScope.choices, default=ApiKeyScope.READ)
    # The first characters after the prefix, to find the row; the rest is checked by hash.
    lookup = models.CharField(max_length=12, unique=True)
    secret_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = ApiKeyQuerySet.as_manager()

    def __str__(self):
        return f"{self.name} ({self.PREFIX}{self.lookup}…)"

    @staticmethod
    def hash_secret(secret: str) -> str:
        # The secret is 32 random bytes, so a fast hash is enough (no dictionary to guess from).
        return hashlib.sha256(secret.encode()).hexdigest()

    @classmethod
    def new_token(cls) -> tuple[str, str, str]:
        """A fresh (token, lookup, secret_hash); the token is what the user copies."""
        lookup = secrets.token_hex(6)
        secret = secrets.token_urlsafe(32)
        return f"{cls.PREFIX}{lookup}_{secret}", lookup, cls.hash_secret(secret)

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class Invitation(models.Model):
    """An e-mailed invitation to join an organisation; accounts come only this way."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, default=Role.ANALYST)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} → {self.organisation}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()


# ---------------------------------------------------------------------------------------------
# Viewers and the shareable base model
# ---------------------------------------------------------------------------------------------


def viewer_for(user, *, api_key: ApiKey | None = None) -> Viewer:
    """The facts the sharing rule needs about `user`, read from the database now, so that a
    membership ended a second ago no longer counts. An API key narrows them to its organisation
    and reads no RED (RED names people, and a key is not one)."""
    public_pages = settings.PUBLIC_PAGES
    if user is None or not user.is_authenticated or not user.is_active:
        return Viewer(public_pages=public_pages)
    memberships = Membership.objects.active().filter(user=user)
    if api_key is not None:
        memberships = memberships.filter(organisation_id=api_key.organisation_id)
    rows = list(memberships.values_list("organisation_id", "role", "organisation__is_network_member"))
    org_ids = frozenset(org_id for org_id, _, _ in rows)
    group_ids = frozenset(
        GroupMembership.objects.filter(organisation_id__in=org_ids).values_list("group_id", flat=True)
    )
    return Viewer(
        user_id=user.pk,
        org_ids=org_ids,
        group_ids=group_ids,
        network_member=any(member for _, _, member in rows),
        editor_org_ids=frozenset(org_id for org_id, role, _ in rows if role in EDITOR_ROLES),
        may_read_red=api_key is None,
        public_pages=public_pages,
    )


def viewer_for_organisation(organisation: Organisation) -> Viewer:
    """What an organisation as a whole may read (no person: so no RED, no drafts). Used where
    the platform acts for an organisation, such as matching its watchlist."""
    if not organisation.is_active:
        return Viewer(public_pages=False)
    groups = GroupMembership.objects.filter(organisation=organisation).values_list("group_id", flat=True)
    return Viewer(
        user_id=-1,  # no person's id: authorship never applies
        org_ids=frozenset({organisation.pk}),
        group_ids=frozenset(groups),
        network_member=organisation.is_network_member,
        may_read_red=False,
    )


def as_viewer(user_or_viewer) -> Viewer:
    if isinstance(user_or_viewer, Viewer):
        return user_or_viewer
    return viewer_for(user_or_viewer)


class ShareableQuerySet(models.QuerySet):
    """The one choke point: every read of shared items goes through `visible_to`."""

    def visible_to(self, user_or_viewer):
        return self.filter(readable_q(as_viewer(user_or_viewer), self.model))

    def editable_by(self, user_or_viewer):
        return self.filter(editable_q(as_viewer(user_or_viewer)))


class Shareable(models.Model):
    """Fields every shared item carries: its owner, author, TLP label and audience.

    Subclasses declare `recipient_orgs` and `recipient_people` (many-to-many) themselves, since
    Django needs a concrete model for the related names.
    """

    owner_org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author"))
    tlp = models.CharField(_("TLP label"), max_length=16, choices=Tlp.choices, default=Tlp.AMBER)
    audience = models.CharField(_("audience"), max_length=16, choices=Audience.choices, default=Audience.OWNER)
    sharing_group = models.ForeignKey(
        SharingGroup, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("sharing group")
    )
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.DRAFT)

    objects = ShareableQuerySet.as_manager()

    class Meta:
        abstract = True
        constraints = []

    @classmethod
    def marking_constraints(cls, prefix: str) -> list[models.CheckConstraint]:
        """The allowed label/audience pairs, enforced by the database too."""
        return [
            models.CheckConstraint(
                condition=Q(tlp=Tlp.RED, audience=Audience.PEOPLE) | (~Q(tlp=Tlp.RED) & ~Q(audience=Audience.PEOPLE)),
                name=f"{prefix}_red_iff_named_people",
            ),
            models.CheckConstraint(
                condition=~Q(audience=Audience.PUBLIC) | Q(tlp=Tlp.CLEAR), name=f"{prefix}_public_only_clear"
            ),
            models.CheckConstraint(
                condition=~Q(audience=Audience.GROUP) | Q(sharing_group__isnull=False), name=f"{prefix}_group_audience_names_group"
            ),
        ]


def find_api_key(token: str) -> ApiKey | None:
    """The usable key a presented token belongs to, or None. The secret is compared in
    constant time; the lookup part only finds the row."""
    import hmac

    if not token.startswith(ApiKey.PREFIX):
        return None
    lookup, _, secret = token[len(ApiKey.PREFIX):].partition("_")
    key = ApiKey.objects.usable().select_related("organisation", "created_by").filter(lookup=lookup).first()
    if key is None or not hmac.compare_digest(key.secret_hash, ApiKey.hash_secret(secret)):
        return None
    return key


def people_nameable_for(owner_org_ids):
    """The people a RED item of these organisations may name: active accounts in them and in
    the organisations that share a sharing group with them. Narrower than "anyone", so that
    naming people is never a way to learn who holds which account."""
    from django.contrib.auth import get_user_model

    groups = GroupMembership.objects.filter(organisation_id__in=owner_org_ids).values("group_id")
    partner_orgs = GroupMembership.objects.filter(group_id__in=groups).values("organisation_id")
    memberships = Membership.objects.active().filter(
        Q(organisation_id__in=owner_org_ids) | Q(organisation_id__in=partner_orgs)
    )
    return get_user_model().objects.filter(is_active=True, pk__in=memberships.values("user_id"))


def ports_of(user):
    """The ports of the organisations this person is an active member of, by name."""
    organisations = Membership.objects.active().filter(user=user).values("organisation_id")
    return Port.objects.filter(organisation_id__in=organisations).order_by("name")
