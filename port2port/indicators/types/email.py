"""E-mail address: the domain is lower-cased (and IDNA-encoded); the local part is kept as
written, since some mail systems treat its case as significant. Defanged forms accepted."""

import re

from django.utils.translation import gettext_lazy as _

from .base import IndicatorError, IndicatorType, Normalised, clean_input
from .domain import refang, registrable_domain, to_ascii, to_unicode

_LOCAL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}$")


class EmailAddress(IndicatorType):
    kind = "email"
    label = _("E-mail address")
    patterns = (
        (re.compile(r"(?i)(?<![\w.+-])(?P<v>[a-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}\s?(?:@|\[@\]|\[at\]|\(at\))\s?(?:[a-z0-9-]+(?:\.|\[\.\]|\(\.\)|\[dot\]))+[a-z]{2,63})\b"), 0.9),
    )

    def normalise(self, raw: str) -> Normalised:
        text = refang(clean_input(raw, what=self.label)).removeprefix("mailto:")
        local, at, host = text.rpartition("@")
        if not at or not _LOCAL.match(local) or local.startswith(".") or local.endswith(".") or ".." in local:
            raise IndicatorError(_("An e-mail address is a name, @ and a domain, e.g. harbour.master@example.be."))
        domain = to_ascii(host)
        return Normalised(
            value=f"{local}@{domain}", display=f"{local}@{to_unicode(domain)}",
            extra={"domain": domain, "registrable_domain": registrable_domain(domain)},
        )


TYPE = EmailAddress()
