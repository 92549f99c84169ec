"""Known valid and invalid values for every indicator type."""

import pytest

from port2port.indicators.types import REGISTRY, IndicatorError
from port2port.indicators.types.person import Person
from port2port.indicators.types.uas_operator import luhn_mod36


def normalise(kind, raw):
    return REGISTRY[kind].normalise(raw)


def iso6346_check_digit(body: str) -> str:
    """Independent of python-stdnum: letters skip multiples of 11 (A=10, B=12 ... Z=38)."""
    values, n = {}, 10
    for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        if n % 11 == 0:
            n += 1
        values[letter] = n
        n += 1
    total = sum((int(c) if c.isdigit() else values[c]) * 2**i for i, c in enumerate(body))
    return str(total % 11 % 10)


@pytest.mark.parametrize("number", ["CSQU3054383", "MSCU1234566", "TGHU1234567", "MAEU6283712", "HLXU8765430"])
def test_it_accepts_container_numbers_with_a_correct_check_digit(number):
    # CSQU3054383 is ISO 6346's own example; the others carry a check digit computed here.
    assert iso6346_check_digit(number[:10]) == number[10]
    result = normalise("container", number.lower())
    assert (result.value, result.flags, result.suggestion) == (number, (), None)
    assert result.display == f"{number[:4]} {number[4:10]} {number[10]}"


def test_it_keeps_a_container_number_with_a_wrong_check_digit_flags_it_and_suggests_the_right_one():
    result = normalise("container", "CSQU 305438-4")
    assert result.value == "CSQU3054384"
    assert result.suggestion == "CSQU3054383"
    assert "wrong" in str(result.flags[0]) and "3 expected" in str(result.flags[0])
    assert result.fuzzy_key == normalise("container", "CSQU3054383").fuzzy_key


def test_it_accepts_a_container_number_without_check_digit_and_suggests_it():
    result = normalise("container", "CSQU305438")
    assert result.value == "CSQU305438" and result.suggestion == "CSQU3054383" and result.flags


@pytest.mark.parametrize("raw", ["CSQ3054383", "CSQX3054383", "1234567890A", "CSQU30543", "hello"])
def test_it_refuses_what_is_no_container_number(raw):
    with pytest.raises(IndicatorError, match="container number"):
        normalise("container", raw)


@pytest.mark.parametrize("raw", ["IMO 9074729", "9321483", "IMO9811000", "imo: 8814275"])
def test_it_accepts_real_imo_numbers(raw):
    result = normalise("imo", raw)
    assert result.flags == () and result.display == f"IMO {result.value}"


def test_it_keeps_and_flags_an_imo_number_with_a_wrong_check_digit():
    result = normalise("imo", "IMO 9074728")
    assert result.value == "9074728" and "9 expected" in str(result.flags[0])


@pytest.mark.parametrize("raw", ["IMO 907472", "90747290", "IMO ABCDEFG"])
def test_it_refuses_what_is_no_imo_number(raw):
    with pytest.raises(IndicatorError):
        normalise("imo", raw)


@pytest.mark.parametrize(
    "raw, flag_state, station",
    [("205123000", "BE", "ship"), ("MMSI 244660000", "NL", "ship"), ("636012345", "LR", "ship"),
     ("538001234", "MH", "ship"), ("353136000", "PA", "ship"), ("477123400", "HK", "ship"),
     ("002050480", "BE", "coast_station"), ("992051234", "BE", "aid_to_navigation"), ("970123456", None, "ais_sart")],
)
def test_it_reads_the_flag_state_from_the_mmsi(raw, flag_state, station):
    result = normalise("mmsi", raw)
    assert (result.extra["flag_state"], result.extra["station"]) == (flag_state, station)


@pytest.mark.parametrize("raw", ["20512300", "2051230001", "MMSI twelve"])
def test_it_refuses_an_mmsi_that_is_not_nine_digits(raw):
    with pytest.raises(IndicatorError, match="nine digits"):
        normalise("mmsi", raw)


@pytest.mark.parametrize("raw, country", [("06003456", "BE"), ("ENI 03011455", "NL"), ("04801234", "DE"), ("01234567", "FR"), ("07001234", "CH")])
def test_it_reads_the_issuing_country_from_the_eni_prefix(raw, country):
    assert normalise("eni", raw).extra["country"] == country


def test_it_reads_the_imo_number_inside_an_eni_starting_with_9():
    assert normalise("eni", "99074729").extra["imo"] == "9074729"
    assert normalise("eni", "99074728").flags


def test_it_flags_an_eni_prefix_no_authority_issues():
    assert normalise("eni", "79912345").flags


@pytest.mark.parametrize("raw", ["0600345", "060034567", "ENI ABCDEFGH"])
def test_it_refuses_an_eni_that_is_not_eight_digits(raw):
    with pytest.raises(IndicatorError, match="eight digits"):
        normalise("eni", raw)


def test_it_normalises_vessel_names_and_folds_misreads_for_near_matches():
    assert normalise("vessel_name", "M/V  Évér given").value == "EVER GIVEN"
    assert normalise("vessel_name", "EVER G1VEN").fuzzy_key == normalise("vessel_name", "ever given").fuzzy_key
    assert normalise("vessel_name", "BOSS 2").fuzzy_key == normalise("vessel_name", "8055 Z").fuzzy_key


def test_it_accepts_call_signs_and_refuses_digits_only():
    assert normalise("call_sign", "9ha 2345").value == "9HA2345"
    with pytest.raises(IndicatorError):
        normalise("call_sign", "12345")


@pytest.mark.parametrize(
    "raw, value, display",
    [("1-abc-234", "BE:1ABC234", "BE: 1-ABC-234"), ("ABC 123", "BE:ABC123", "BE: ABC-123"),
     ("AB-123-CD", "FR:AB123CD", "FR: AB-123-CD"), ("(F) ab 123 cd", "FR:AB123CD", "FR: AB-123-CD"),
     ("12-ABC-3", "NL:12ABC3", "NL: 12-ABC-3"), ("NL: XX-99-99", "NL:XX9999", "NL: XX-99-99"),
     ("B-AB 1234", "DE:B-AB1234", "DE: B-AB 1234"), ("M AB 123E", "DE:M-AB123E", "DE: M-AB 123E")],
)
def test_it_recognises_belgian_french_dutch_and_german_plates(raw, value, display):
    result = normalise("plate", raw)
    assert (result.value, result.display) == (value, display)


def test_it_keeps_plates_of_other_countries_as_written_with_a_flag():
    result = normalise("plate", "PL: WE 12345")
    assert result.value == "PL:WE12345" and result.flags


def test_it_folds_misread_plates_to_one_key():
    assert normalise("plate", "1-ABC-234").fuzzy_key == normalise("plate", "1-A8C-Z34").fuzzy_key


@pytest.mark.parametrize("raw", ["ABCDEF", "123456", "A" * 12 + "1"])
def test_it_refuses_what_is_no_plate(raw):
    with pytest.raises(IndicatorError, match="licence plate"):
        normalise("plate", raw)


def test_it_identifies_a_company_by_its_validated_enterprise_number():
    result = normalise("company", "Acme Logistics NV, BE 0428.759.497")
    assert result.value == "BE0428759497" and result.flags == ()
    assert result.display == "Acme Logistics NV (BE 0428.759.497)"
    assert normalise("company", "0428759497").value == "BE0428759497"
    assert normalise("company", "NL004495445B01").flags == ()


def test_it_flags_an_enterprise_number_with_wrong_check_digits():
    assert normalise("company", "BE431150351").flags


def test_it_matches_company_names_without_legal_form_or_accents():
    assert normalise("company", "Société Générale S.A.").value == normalise("company", "SOCIETE GENERALE").value


def test_it_pseudonymises_a_person_with_a_keyed_hash():
    person = Person()
    one = person.normalise("Jan Janssens; 12/03/1985", pepper=b"k1")
    assert one.value == person.normalise("JANSSENS, Jan; 1985-03-12", pepper=b"k1").value
    assert one.value != person.normalise("Jan Janssens; 1985-03-12", pepper=b"k2").value
    assert "Janssens" not in repr(one) and len(one.value) == 64
    assert person.normalise(one.value).value == one.value


def test_it_reads_the_person_pepper_from_settings(settings):
    settings.P2P_PERSON_PEPPER = "pepper-from-settings"
    assert Person().normalise("Jan Janssens; 1985-03-12").value == Person().normalise("Jan Janssens; 1985-03-12", pepper=b"pepper-from-settings").value


@pytest.mark.parametrize("raw", ["Jan Janssens", "Jan Janssens; 31/02/1985", "; 1985-03-12", "Jan; 2999-01-01"])
def test_it_refuses_a_person_without_name_and_valid_date_of_birth(raw):
    with pytest.raises(IndicatorError):
        normalise("person", raw)


@pytest.mark.parametrize("raw", ["+32 470 12 34 56", "0470 12 34 56", "0032 470 12 34 56", "0470/12.34.56"])
def test_it_writes_phone_numbers_in_e164_reading_national_numbers_as_belgian(raw):
    assert normalise("phone", raw).value == "+32470123456"


def test_it_refuses_what_is_no_phone_number():
    for raw in ["call me", "12", "+32 470 12 34 56 78 90 12"]:
        with pytest.raises(IndicatorError):
            normalise("phone", raw)


def test_it_lowercases_the_email_domain_but_keeps_the_local_part():
    assert normalise("email", "John.Doe@Example.BE").value == "John.Doe@example.be"
    assert normalise("email", "john[@]example[.]be").value == "john@example.be"
    with pytest.raises(IndicatorError):
        normalise("email", "not an address")


@pytest.mark.parametrize(
    "raw, value, private",
    [("192.0.2.010".replace("010", "10"), "192.0.2.10", True), ("8.8.8[.]8", "8.8.8.8", False),
     ("2001:0DB8:0000::0001", "2001:db8::1", True), ("10.1.2.3/8", "10.0.0.0/8", True),
     ("203.0.113.7/32", "203.0.113.7", True), ("2a00:1450::/32", "2a00:1450::/32", False)],
)
def test_it_writes_ip_addresses_and_networks_in_canonical_form_and_flags_private_ranges(raw, value, private):
    result = normalise("ip", raw)
    assert result.value == value
    assert any("private" in str(flag) for flag in result.flags) == private


@pytest.mark.parametrize("raw", ["256.1.1.1", "1.2.3", "01.2.3.4", "gggg::1"])
def test_it_refuses_what_is_no_ip_address(raw):
    with pytest.raises(IndicatorError):
        normalise("ip", raw)


def test_it_gives_the_registrable_domain_from_the_public_suffix_list():
    result = normalise("domain", "WWW.Haven.Antwerpen.co.uk.")
    assert result.value == "www.haven.antwerpen.co.uk"
    assert result.extra["registrable_domain"] == "antwerpen.co.uk"
    assert normalise("domain", "müller[.]de").value == "xn--mller-kva.de"
    assert normalise("domain", "co.uk").flags


@pytest.mark.parametrize("raw", ["localhost", "-bad.com", "a..b", "1.2.3.4", "exa mple.com"])
def test_it_refuses_what_is_no_domain(raw):
    with pytest.raises(IndicatorError):
        normalise("domain", raw)


def test_it_refangs_and_normalises_urls():
    result = normalise("url", "hxxps://Login.EXAMPLE[.]com:443/Path?q=A")
    assert result.value == "https://login.example.com/Path?q=A"
    assert result.extra["registrable_domain"] == "example.com"
    assert normalise("url", "http://example.com:8080").value == "http://example.com:8080/"
    for raw in ["example.com/login", "javascript:alert(1)", "http://exa mple.com/"]:
        with pytest.raises(IndicatorError):
            normalise("url", raw)


@pytest.mark.parametrize("raw, algorithm", [("44D88612FEA8A8F36DE82E12A9CA2F5A", "md5"), ("sha1:3395856ce81f2b7382dee72602f798b642f14140", "sha1"), ("275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f", "sha256")])
def test_it_tells_hash_algorithms_by_length(raw, algorithm):
    result = normalise("file_hash", raw)
    assert result.extra["algorithm"] == algorithm and result.value == result.value.lower()


def test_it_refuses_a_hash_of_the_wrong_length_or_alphabet():
    for raw in ["abc", "g" * 32, "a" * 33]:
        with pytest.raises(IndicatorError, match="hash"):
            normalise("file_hash", raw)


def test_it_validates_the_drone_serial_length_code():
    assert normalise("drone_serial", "MFR1C123456789ABC").flags == ()
    assert normalise("drone_serial", "MFR1C12345").extra["length_consistent"] is False
    assert normalise("drone_serial", "MFR1C123456789ABO").value == "MFR1C123456789AB0"
    with pytest.raises(IndicatorError):
        normalise("drone_serial", "MFR1G123")


def test_it_verifies_the_uas_operator_checksum_with_the_secret_part_and_drops_the_secret():
    # FIN87astrdge12k8-xyz is the example published with EN 4709-002.
    assert luhn_mod36("87astrdge12k" + "xyz") == "8"
    result = normalise("uas_operator", "FIN87astrdge12k8-xyz")
    assert result.value == "FIN87astrdge12k8" and result.extra["checksum_verified"] is True
    assert "xyz" not in result.value + result.display
    assert normalise("uas_operator", "FIN87astrdge12k9-xyz").extra["checksum_verified"] is False
    assert normalise("uas_operator", "fin87ASTRDGE12K8").value == "FIN87astrdge12k8"
    assert normalise("uas_operator", "USA87astrdge12k8").flags
    with pytest.raises(IndicatorError):
        normalise("uas_operator", "FIN87astrdge12")


def test_it_keeps_free_text_and_compares_it_case_insensitively():
    assert normalise("text", "  Blue   van ").value == normalise("text", "BLUE VAN").value


@pytest.mark.parametrize("kind", sorted(REGISTRY))
def test_every_type_refuses_empty_input_naming_the_kind(kind):
    with pytest.raises(IndicatorError) as error:
        normalise(kind, "   ")
    assert str(REGISTRY[kind].label) in str(error.value)
