"""MMSI (Maritime Mobile Service Identity): nine digits. The Maritime Identification Digits
(MID) inside it give the flag state; where they sit depends on the kind of station."""

import re

from django.utils.translation import gettext_lazy as _

from .base import IndicatorError, IndicatorType, Normalised, clean_input

# MID -> ISO 3166-1 alpha-2 of the administration. Source: ITU, Table of Maritime
# Identification Digits (Appendix 43 of the Radio Regulations, kept in ITU MARS:
# https://www.itu.int/en/ITU-R/terrestrial/fmd/Pages/mid.aspx), a subset: the EU/EEA states,
# the UK, Switzerland, the large open registries and the flags common in North Sea ports.
# Compared with the tables of open-source AIS decoders. A MID not listed here is not an
# error: it only means the flag is not looked up.
MID_COUNTRY = {
    201: "AL", 202: "AD", 203: "AT", 204: "PT", 205: "BE", 206: "BY", 207: "BG", 208: "VA",
    209: "CY", 210: "CY", 211: "DE", 212: "CY", 213: "GE", 214: "MD", 215: "MT", 216: "AM",
    218: "DE", 219: "DK", 220: "DK", 224: "ES", 225: "ES", 226: "FR", 227: "FR", 228: "FR",
    229: "MT", 230: "FI", 231: "FO", 232: "GB", 233: "GB", 234: "GB", 235: "GB", 236: "GI",
    237: "GR", 238: "HR", 239: "GR", 240: "GR", 241: "GR", 242: "MA", 243: "HU", 244: "NL",
    245: "NL", 246: "NL", 247: "IT", 248: "MT", 249: "MT", 250: "IE", 251: "IS", 252: "LI",
    253: "LU", 254: "MC", 255: "PT", 256: "MT", 257: "NO", 258: "NO", 259: "NO", 261: "PL",
    262: "ME", 263: "PT", 264: "RO", 265: "SE", 266: "SE", 267: "SK", 268: "SM", 269: "CH",
    270: "CZ", 271: "TR", 272: "UA", 273: "RU", 274: "MK", 275: "LV", 276: "EE", 277: "LT",
    278: "SI", 279: "RS",
    303: "US", 304: "AG", 305: "AG", 308: "BS", 309: "BS", 311: "BS", 316: "CA", 338: "US",
    351: "PA", 352: "PA", 353: "PA", 354: "PA", 355: "PA", 356: "PA", 357: "PA",
    366: "US", 367: "US", 368: "US", 369: "US",
    370: "PA", 371: "PA", 372: "PA", 373: "PA", 374: "PA",
    412: "CN", 413: "CN", 414: "CN", 477: "HK",
    538: "MH", 563: "SG", 564: "SG", 565: "SG", 566: "SG",
    636: "LR", 637: "LR",
    710: "BR", 730: "CO", 735: "EC",
}


def _station(digits: str) -> tuple[str, str]:
    """(kind of station, its MID digits), read from the MMSI's leading digits (ITU-R M.585)."""
    if digits.startswith("00"):
        return "coast_station", digits[2:5]
    if digits.startswith("0"):
        return "group", digits[1:4]
    if digits.startswith("111"):
        return "sar_aircraft", digits[3:6]
    if digits.startswith("970"):
        return "ais_sart", ""
    if digits.startswith("972"):
        return "man_overboard", ""
    if digits.startswith("974"):
        return "epirb_ais", ""
    if digits.startswith("98"):
        return "craft_of_parent_ship", digits[2:5]
    if digits.startswith("99"):
        return "aid_to_navigation", digits[2:5]
    if digits.startswith("8"):
        return "handheld_vhf", digits[1:4]
    return "ship", digits[:3]


_PREFIX_AND_SPACES = re.compile(r"^MMSI[\s:.#-]*|\s")
_NINE_DIGITS = re.compile(r"[0-9]{9}")


class Mmsi(IndicatorType):
    kind = "mmsi"
    label = _("MMSI")
    patterns = ((re.compile(r"(?i)\bMMSI[\s:.#-]*(?:n[o°]\.?\s*)?(?P<v>[0-9]{9})\b"), 0.95),)

    def normalise(self, raw: str) -> Normalised:
        text = clean_input(raw, what=self.label).upper()
        digits = _PREFIX_AND_SPACES.sub("", text)
        if not _NINE_DIGITS.fullmatch(digits):
            raise IndicatorError(_("An MMSI is nine digits, e.g. 205123000."))
        station, mid = _station(digits)
        extra = {"station": station, "mid": mid or None, "flag_state": MID_COUNTRY.get(int(mid)) if mid else None}
        flags = ()
        if station == "ship" and digits[0] in "01":
            flags = (_("A ship's MMSI starts with 2 to 7."),)
        return Normalised(value=digits, display=digits, flags=flags, extra=extra)


TYPE = Mmsi()
