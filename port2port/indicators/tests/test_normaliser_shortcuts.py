"""The shortcuts that make normalisers fast, each held to the long way it replaces.

Bulk import normalises thousands of values a second, so some normalisers skip work the
libraries would do (python-stdnum's cleaning, a second phone parse, phonenumbers' general
parser for '+32 470 ...', the idna codec, building an IP network around one address). Each
test here compares a shortcut with the library call or the earlier code on many generated
inputs, odd ones included.
"""

import ipaddress
import random
import re
import string
import unicodedata

import phonenumbers
import pytest
from django.utils.translation import gettext_lazy as _
from hypothesis import given, strategies as st
from stdnum import iso6346

from port2port.indicators.types import REGISTRY, IndicatorError, Normalised, base, container, domain, ip, phone

# Fullwidth and Arabic-Indic digits, odd spaces, accents, NFKC-changed forms and brackets:
# what pasted field data carries besides plain ASCII.
_ODD = " \t\u00a0\u3000\u200b-./()[]{}+#x;:,０１９٣ÄéßİK\ufb01①\u0301"


def _rng(seed):
    return random.Random(seed)


# --- Container numbers: the check digit and display without python-stdnum ----------------


def test_the_container_check_digit_agrees_with_python_stdnum_for_many_random_numbers():
    rng = _rng(6346)
    for _attempt in range(20_000):
        body = "".join(rng.choices(string.ascii_uppercase, k=3)) + rng.choice("UJZR") + f"{rng.randrange(10**6):06d}"
        assert container.check_digit(body) == iso6346.calc_check_digit(body), body


def test_the_container_display_is_python_stdnums_format():
    rng = _rng(11)
    for _attempt in range(2_000):
        body = "".join(rng.choices(string.ascii_uppercase, k=3)) + rng.choice("UJZR") + f"{rng.randrange(10**6):06d}"
        for digit in (iso6346.calc_check_digit(body), str(rng.randrange(10))):
            result = REGISTRY["container"].normalise(body + digit)
            assert result.display == iso6346.format(result.value)


# --- Phone numbers: one parse instead of two ------------------------------------------------


def _normalise_phone_the_old_way(raw, region="BE"):
    """The phone normaliser as it was: the E.164 form parsed again to catch lost zeros."""
    text = base.clean_input(raw, what=phone.TYPE.label)
    if not re.search(r"[0-9]", text) or len(text) > 64:
        raise IndicatorError(_("A phone number needs digits, e.g. +32 3 123 45 67."))
    number = _parse(text, region)
    if not phonenumbers.is_possible_number(number):
        raise IndicatorError(_("This cannot be a phone number: it has too many or too few digits."))
    value = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if phonenumbers.format_number(_parse(value, region), phonenumbers.PhoneNumberFormat.E164) != value:
        raise IndicatorError(_("This cannot be a phone number."))
    flags = () if phonenumbers.is_valid_number(number) else (_("No operator uses numbers of this form; check it."),)
    return Normalised(
        value=value, display=phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL),
        flags=flags, extra={"region": phonenumbers.region_code_for_number(number)},
    )


def _parse(text, region):
    try:
        return phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as error:
        raise IndicatorError(_("This is not a phone number.")) from error


def _outcome(normalise, raw, region):
    try:
        result = normalise(raw, region)
    except IndicatorError as error:
        return "refused", str(error)
    return result.value, result.display, [str(flag) for flag in result.flags], result.suggestion, result.fuzzy_key, result.extra


def _phone_like(rng):
    """Number-shaped text with the oddities that matter here: national prefixes and leading
    zeros where E.164 has none, country codes real and not, extensions, letters, odd digits."""
    lead = rng.choice(["", "", "+", "00", "+32", "0032", "+39", "+1", "+44", "+7", "+225", "+54", "+52", "+55", "+999", "0", "00"])
    zeros = rng.choice(["", "", "0", "00", "0 0", "8", "15", "1"])
    digits = "".join(rng.choices(string.digits, k=rng.randint(0, 15)))
    text = lead + rng.choice(["", " "]) + zeros + "".join(c + (rng.choice(" .-/()") if rng.random() < 0.2 else "") for c in digits)
    if rng.random() < 0.1:
        position = rng.randint(0, len(text))
        text = text[:position] + rng.choice(_ODD) + text[position:]
    if rng.random() < 0.05:
        text += rng.choice([" ext. 12", ";ext=7", " x 5", " #3"])
    return text


def _example_numbers():
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        number = phonenumbers.example_number(region)
        if number is not None:
            yield phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL), region
            yield phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), "BE"


@pytest.mark.parametrize("region", ["BE", "IT", "CI", "AR", "MX", "BR", "RU", "GB", "US"])
def test_the_phone_normaliser_reads_numbers_as_the_two_parse_version_did(region):
    rng = _rng(sum(map(ord, region)))
    inputs = [_phone_like(rng) for _ in range(3_000)] + ["0000000000", "+32 0000 000", "+39 00 1234 5678", "000 470 12 34 56"]
    differences = [raw for raw in inputs if _outcome(phone.TYPE.normalise, raw, region) != _outcome(_normalise_phone_the_old_way, raw, region)]
    assert not differences, differences[:5]


def test_the_phone_normaliser_reads_every_regions_example_numbers_as_before():
    for raw, region in _example_numbers():
        assert _outcome(phone.TYPE.normalise, raw, region) == _outcome(_normalise_phone_the_old_way, raw, region), raw


@pytest.mark.parametrize("raw", ["0000000000", "+31 00000302", "00320004750116", "+44 00.00 08 4094.2"])
def test_a_number_whose_e164_form_reads_back_differently_is_still_refused(raw):
    # A national prefix still in front of the national number: E.164 cannot keep it.
    with pytest.raises(IndicatorError, match="This cannot be a phone number.$"):
        phone.TYPE.normalise(raw)


def _spaced(rng, digits):
    return "+" + "".join(digit + " " * rng.choice((0, 0, 0, 1, 2)) for digit in digits).rstrip()


def test_reading_plus_and_digits_gives_what_phonenumbers_parse_gives_for_every_country_code():
    rng = _rng(164)
    read = 0
    for code in sorted(phonenumbers.COUNTRY_CODE_TO_REGION_CODE):
        for _attempt in range(40):
            lead = rng.choice(("", "", "0", "00", "1", "8", "9", "15"))  # national prefixes, leading zeros
            text = _spaced(rng, f"{code}{lead}{''.join(rng.choices(string.digits, k=rng.randint(0, 18)))}")
            if (number := phone._read_international(text)) is not None:
                assert number == phonenumbers.parse(text, rng.choice(("BE", "IT", "US", None))), text
                read += 1
    assert read > 3_000  # the shortcut is taken for most numbers, not only for a few


@given(st.from_regex(r"\+[0-9 ]{0,30}", fullmatch=True))
def test_reading_plus_and_digits_is_parse_or_leaves_the_text_to_parse(text):
    number = phone._read_international(text)
    assert number is None or number == phonenumbers.parse(text, "BE")


@pytest.mark.parametrize("raw", ["+32 470 12 34 56", "+31 6 12345678", "+33 6 12 34 56 78", "+1 202 555 0143", "+44 20 7946 0958"])
def test_numbers_as_reports_write_them_take_the_shortcut(raw):
    assert phone._read_international(raw) == phonenumbers.parse(raw, "BE")


@pytest.mark.parametrize("raw", ["+39 06 1234 5678", "+0 470 12 34 56", "+999 123 456", "+32 0470 12 34 56",
                                 "+32-470-12-34-56", "+32 470 12 34 56 ext. 7", "+3"])
def test_italian_zeros_national_prefixes_unknown_codes_and_other_forms_are_left_to_parse(raw):
    assert phone._read_international(raw) is None


# --- Text helpers, domains and IP addresses -------------------------------------------------


def _odd_texts(seed, alphabet, count=3_000):
    rng = _rng(seed)
    return ["".join(rng.choices(alphabet, k=rng.randint(0, 20))) for _ in range(count)]


def test_clean_input_gives_what_nfkc_gives_for_ascii_and_other_text():
    for text in _odd_texts(1, string.printable + _ODD):
        expected = unicodedata.normalize("NFKC", text).strip()
        if expected:
            assert base.clean_input(text, what="x") == expected
        else:
            with pytest.raises(IndicatorError):
                base.clean_input(text, what="x")


def test_strip_diacritics_skips_only_what_has_no_diacritics():
    for text in _odd_texts(2, string.printable + _ODD):
        decomposed = unicodedata.normalize("NFKD", text)
        assert base.strip_diacritics(text) == "".join(c for c in decomposed if not unicodedata.combining(c))


def test_refang_leaves_text_without_brackets_as_it_is_and_refangs_the_rest():
    rng = _rng(3)
    pieces = ["example", "[.]", "(.)", "{.}", "[dot]", "( DOT )", "[@]", "[at]", "(AT)", "[:]", ".", "@", " ", "x", "["]
    for _attempt in range(3_000):
        text = "".join(rng.choices(pieces, k=rng.randint(1, 8)))
        full = domain._DEFANGED_COLON.sub(":", domain._DEFANGED_AT.sub("@", domain._DEFANGED_DOT.sub(".", text)))
        assert domain.refang(text) == full, text


def test_to_unicode_agrees_with_the_idna_codec():
    hosts = ["example.com", "xn--mller-kva.de", "www.xn--bcher-kva.example", "xn--.com", "xn--zz.be", "a.b.c", "XN--MLLER-KVA.DE", "müller.de"]
    for host in hosts:
        try:
            expected = host.encode("ascii").decode("idna")
        except UnicodeError:
            expected = host
        assert domain.to_unicode(host) == expected, host


def test_a_single_ipv4_address_gives_what_its_32_bit_network_gives():
    rng = _rng(4)
    special = ["0.0.0.0", "10.1.2.3", "127.0.0.1", "169.254.1.1", "172.16.0.1", "192.0.0.171", "192.0.2.1", "192.168.1.1",
               "198.18.0.1", "224.0.0.1", "240.0.0.1", "255.255.255.255", "100.64.0.1", "8.8.8.8"]
    addresses = special + [str(ipaddress.IPv4Address(rng.getrandbits(32))) for _ in range(5_000)]
    for address in addresses:
        network = ipaddress.ip_network(address)
        fast = ip._single_ipv4(ipaddress.IPv4Address(address))
        assert fast.value == str(network.network_address)
        assert bool(fast.flags) == (network.is_private or network.is_loopback or network.is_link_local or network.is_reserved or network.is_multicast)
        assert fast.extra == {"version": 4, "is_network": False}
