"""File hash: MD5, SHA-1 or SHA-256, told apart by length, in lower-case hex."""

import re

from django.utils.translation import gettext_lazy as _

from .base import IndicatorError, IndicatorType, Normalised, clean_input

ALGORITHMS = {32: "md5", 40: "sha1", 64: "sha256"}
_ALGORITHM_PREFIX = re.compile(r"^(?:md5|sha-?1|sha-?256)\s*[:=]?\s*")
_HEX = re.compile(r"[0-9a-f]+")


class FileHash(IndicatorType):
    kind = "file_hash"
    label = _("File hash")
    patterns = (
        (re.compile(r"(?i)(?<![0-9a-z])(?P<v>[0-9a-f]{64}|[0-9a-f]{40}|[0-9a-f]{32})(?![0-9a-z])"), 0.9),
    )

    def normalise(self, raw: str) -> Normalised:
        text = clean_input(raw, what=self.label).lower()
        text = _ALGORITHM_PREFIX.sub("", text).replace(" ", "")
        if not _HEX.fullmatch(text) or len(text) not in ALGORITHMS:
            raise IndicatorError(_("A file hash is 32 (MD5), 40 (SHA-1) or 64 (SHA-256) hexadecimal characters."))
        flags = (_("This is the hash of an empty file."),) if text in _EMPTY_FILE else ()
        return Normalised(value=text, display=text, flags=flags, extra={"algorithm": ALGORITHMS[len(text)]})


# Hashes of zero bytes: they turn up in every feed and match everything.
_EMPTY_FILE = frozenset({
    "d41d8cd98f00b204e9800998ecf8427e",
    "da39a3ee5e6b4b0d3255bfef95601890afd80709",
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
})


TYPE = FileHash()
