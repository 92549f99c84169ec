"""Port 2 Port's own event format ("p2p"): flat JSON fields that map one to one onto EventIn.

Documented for integrators in docs/sensor-format.md. Unknown fields are refused rather than
ignored, so a misspelt 'latitude' for 'lat' is an error instead of a silently lost position;
anything a sensor wants to keep beyond these fields goes in the free-form 'extra' object.
"""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ..events import EventIn
from .base import Adapter, Fields, require_object

FIELDS = frozenset({
    "id", "kind", "time", "lat", "lon", "alt", "zone", "confidence", "drone", "badge_id",
    "operator_id", "extra",
})
DRONE_FIELDS = frozenset({"serial", "model", "rf_band", "track_id"})


class NativeAdapter(Adapter):
    name = "p2p"
    label = _("Port 2 Port JSON")

    def convert(self, record) -> EventIn:
        fields = Fields(require_object(record))
        _refuse_unknown(fields, record, FIELDS, prefix="")
        _refuse_unknown(fields, fields.object("drone"), DRONE_FIELDS, prefix="drone.")
        fields.object("extra")
        event = EventIn(
            external_id=fields.text("id", required=True, numbers=True),
            kind=fields.text("kind", required=True),
            occurred_at=fields.iso_time("time"),
            latitude=fields.number("lat"),
            longitude=fields.number("lon"),
            altitude_m=fields.number("alt"),
            zone=fields.text("zone"),
            confidence=fields.number("confidence"),
            drone_serial=fields.text(("drone", "serial")),
            drone_model=fields.text(("drone", "model")),
            rf_band=fields.text(("drone", "rf_band")),
            track_id=fields.text(("drone", "track_id"), numbers=True),
            badge_id=fields.text("badge_id", numbers=True),
            operator_id=fields.text("operator_id"),
            raw=record,
        )
        fields.raise_if_failed()
        return event


def _refuse_unknown(fields, record, known, *, prefix):
    for key in sorted(set(record) - known):
        fields.fail(prefix + key, format_lazy(
            _("is not a field of this format; the fields are: {known}"), known=", ".join(sorted(known))))


ADAPTER = NativeAdapter()
