"""The shapes of the alerts API: alerts and their delivery log, rules, subscriptions, webhooks
and automatic sharing.

Severities travel as names (low, medium, high, critical), as in the webhook body; an alert's
kind is its event kind, or `offline` for a sensor that fell silent.
"""

import enum
from datetime import datetime, time
from typing import Annotated

from ninja import Field, Schema
from pydantic import AwareDatetime, ConfigDict

from port2port.organisations.models import Port
from port2port.reports.schemas import Id, OrganisationRef, PersonRef, _organisation, _person
from port2port.sensors.events import MAX_LENGTHS, EventKind
from port2port.sensors.schemas import EventOut, SensorRef, ZoneRef

from .models import AlertStatus, DeliveryChannel, DeliveryStatus, Rule, Severity, Webhook

SeverityName = enum.StrEnum("SeverityName", {severity.name.lower(): severity.name.lower() for severity in Severity})
OFFLINE = "offline"
AlertKind = enum.StrEnum("AlertKind", {**{kind: kind for kind in EventKind.values}, OFFLINE: OFFLINE})

MAX_ALLOWLIST = 500
MAX_PORTS = 200


def severity_value(name: str) -> int:
    return Severity[name.upper()].value


def severity_name(value: int) -> str:
    return Severity(value).name.lower()


def _max_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


Locode = Annotated[str, Field(max_length=_max_length(Port, "locode"))]
Serial = Annotated[str, Field(max_length=MAX_LENGTHS["drone_serial"])]


class RuleRef(Schema):
    id: int
    name: str


class WebhookRef(Schema):
    id: int
    name: str


# ---------------------------------------------------------------------------------------------
# Alerts
# ---------------------------------------------------------------------------------------------


class AlertOut(Schema):
    id: int
    organisation: OrganisationRef
    title: str
    kind: AlertKind = Field(description="The event kind, or `offline` for a silent sensor")
    severity: SeverityName
    status: AlertStatus
    rule: RuleRef | None
    sensor: SensorRef | None
    zone: ZoneRef | None
    port: str | None = Field(description="UN/LOCODE of the port")
    assignee: PersonRef | None
    first_event_at: datetime
    last_event_at: datetime
    event_count: int = Field(description="Events counted in the alert")
    report: int | None = Field(description="The report it was escalated to")
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_organisation(alert) -> dict:
        return _organisation(alert.organisation)

    @staticmethod
    def resolve_kind(alert) -> str:
        return alert.event_kind or OFFLINE

    @staticmethod
    def resolve_severity(alert) -> str:
        return severity_name(alert.severity)

    @staticmethod
    def resolve_port(alert) -> str | None:
        return alert.port.locode if alert.port_id else None

    @staticmethod
    def resolve_assignee(alert) -> dict | None:
        return _person(alert.assignee) if alert.assignee_id else None

    @staticmethod
    def resolve_report(alert) -> int | None:
        return alert.report_id


class AlertDetailOut(AlertOut):
    events: list[EventOut] = Field(description="The newest 100 events of the alert, newest first")

    @staticmethod
    def resolve_events(alert) -> list:
        return alert.newest_events


class AlertPage(Schema):
    items: list[AlertOut] = Field(description="Newest activity first")
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page")


class AlertFilters(Schema):
    model_config = ConfigDict(extra="forbid")

    status: AlertStatus | None = None
    severity: SeverityName | None = Field(None, description="This severity or higher")
    kind: AlertKind | None = None
    since: AwareDatetime | None = Field(None, description="Alerts with events at or after this time")
    limit: int = Field(25, ge=1, le=100)
    cursor: str | None = Field(None, max_length=200)


class AssignIn(Schema):
    model_config = ConfigDict(extra="forbid")

    assignee: Id | None = Field(description="A person of the alert's organisation who handles alerts; null: nobody")


class EscalatedOut(Schema):
    alert: AlertOut
    report_id: int = Field(description="The new draft report, visible to its author and your organisation's editors")
    report_url: str = Field(description="The report in this API")
    report_page: str = Field(description="The report in the web UI, to check and share it")


class DeliveryOut(Schema):
    """One message about the alert: to a person by e-mail, or to a webhook."""

    id: int
    channel: DeliveryChannel
    user: PersonRef | None
    webhook: WebhookRef | None
    status: DeliveryStatus
    attempts: int
    next_attempt_at: datetime
    last_status_code: int | None
    last_error: str
    sent_at: datetime | None
    created_at: datetime

    @staticmethod
    def resolve_user(delivery) -> dict | None:
        return _person(delivery.user) if delivery.user_id else None


# ---------------------------------------------------------------------------------------------
# Rules
# ---------------------------------------------------------------------------------------------


class RuleOut(Schema):
    id: int
    organisation: OrganisationRef
    name: str
    event_kind: EventKind
    zone: ZoneRef | None = Field(description="Null: anywhere")
    active_from: time | None = Field(description="The port's local time; the window may wrap midnight")
    active_until: time | None
    threshold: int = Field(description="Raise the alert from this many events within the period")
    period_minutes: int
    allowlist: list[str] = Field(description="Serial numbers of drones that never raise it")
    severity: SeverityName
    is_active: bool
    created_by: PersonRef
    created_at: datetime

    @staticmethod
    def resolve_organisation(rule) -> dict:
        return _organisation(rule.organisation)

    @staticmethod
    def resolve_severity(rule) -> str:
        return severity_name(rule.severity)

    @staticmethod
    def resolve_created_by(rule) -> dict:
        return _person(rule.created_by)


class RuleIn(Schema):
    model_config = ConfigDict(extra="forbid")

    organisation: Id | None = Field(None, description="The rule's organisation; needed if you belong to several")
    name: str = Field(min_length=1, max_length=_max_length(Rule, "name"))
    event_kind: EventKind
    zone: Id | None = Field(None, description="A zone id; null: anywhere")
    active_from: time | None = Field(None, description="With active_until: only in this window (local time)")
    active_until: time | None = None
    threshold: int = Field(1, ge=1, le=10_000)
    period_minutes: int = Field(10, ge=1, le=7 * 24 * 60)
    allowlist: list[Serial] = Field(default_factory=list, max_length=MAX_ALLOWLIST,
                                    description="Serial numbers of drones that may fly here")
    severity: SeverityName = SeverityName.high
    is_active: bool = True


class RulePatch(Schema):
    """Changes to a rule; fields left out stay as they are."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(None, min_length=1, max_length=_max_length(Rule, "name"))
    event_kind: EventKind = None
    zone: Id | None = None
    active_from: time | None = None
    active_until: time | None = None
    threshold: int = Field(None, ge=1, le=10_000)
    period_minutes: int = Field(None, ge=1, le=7 * 24 * 60)
    allowlist: list[Serial] = Field(None, max_length=MAX_ALLOWLIST)
    severity: SeverityName = None
    is_active: bool = None


# ---------------------------------------------------------------------------------------------
# Subscriptions, webhooks, automatic sharing
# ---------------------------------------------------------------------------------------------


class SubscriptionOut(Schema):
    """Every alert of the organisation shows in your inbox; this says which also reach you by
    e-mail. Without a subscription (`subscribed` false), none do."""

    organisation: OrganisationRef
    subscribed: bool
    event_kinds: list[AlertKind] = Field(description="Empty: all kinds")
    ports: list[str] = Field(description="UN/LOCODEs; empty: all ports")
    min_severity: SeverityName
    by_email: bool


class SubscriptionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    event_kinds: list[AlertKind] = Field(default_factory=list, max_length=len(AlertKind),
                                         description="Empty: all kinds")
    ports: list[Locode] = Field(default_factory=list, max_length=MAX_PORTS, description="UN/LOCODEs; empty: all ports")
    min_severity: SeverityName = SeverityName.high
    by_email: bool = True


class WebhookOut(Schema):
    id: int
    organisation: OrganisationRef
    name: str
    url: str
    min_severity: SeverityName
    is_active: bool
    created_by: PersonRef
    created_at: datetime

    @staticmethod
    def resolve_organisation(webhook) -> dict:
        return _organisation(webhook.organisation)

    @staticmethod
    def resolve_min_severity(webhook) -> str:
        return severity_name(webhook.min_severity)

    @staticmethod
    def resolve_created_by(webhook) -> dict:
        return _person(webhook.created_by)


class WebhookCreatedOut(WebhookOut):
    secret: str = Field(description="The signing secret, shown this once: store it in the receiver now")


class WebhookIn(Schema):
    model_config = ConfigDict(extra="forbid")

    organisation: Id | None = Field(None, description="The webhook's organisation; needed if you belong to several")
    name: str = Field(min_length=1, max_length=_max_length(Webhook, "name"))
    url: str = Field(min_length=1, max_length=_max_length(Webhook, "url"),
                     description="A public HTTPS address; the body is signed (X-Port2Port-Signature)")
    min_severity: SeverityName = SeverityName.high


class AutoShareOut(Schema):
    organisation: OrganisationRef
    event_kinds: list[EventKind] = Field(description="Kinds shared with the network as GREEN summaries")
    shareable_kinds: list[EventKind] = Field(description="The kinds that may be shared this way")


class AutoShareIn(Schema):
    model_config = ConfigDict(extra="forbid")

    event_kinds: list[EventKind] = Field(max_length=len(EventKind))

