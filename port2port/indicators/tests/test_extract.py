"""Paste to extract, on the kind of text people paste: a mixed-language police summary."""

from port2port.indicators.extract import extract

POLICE_SUMMARY = """\
PV 2026/0412 — Politie Antwerpen, scheepvaartpolitie.
Op 12/03/2026 om 04:15 werd aan kaai 1742 een vrachtwagen met kenteken 1-ABC-234 gecontroleerd.
De chauffeur, Jan JANSSENS (°12/03/1985), verklaarde container MSCU 123456 6 op te halen; het
zegelnummer (seal no. ABC12345) kwam niet overeen met het manifest. Container CSQU3054384 werd
ook vermeld. Het schip MV EVER GIVEN (IMO 9811000, MMSI 353136000, roepnaam H3RC) lag aan.
Een binnenschip ENI 06003456 meerde af.

Rapport de la police française : le véhicule immatriculé AB-123-CD a été vu au terminal.
Contact : +33 6 12 34 56 78, marie.dupont[@]example[.]fr.
Phishing mail sent to the terminal: hxxps://secure-login.example[.]com/port/update?id=7 from
203.0.113[.]45; attachment MD5 44d88612fea8a8f36de82e12a9ca2f5a; lookalike domain evil-port[.]com.
Drone seen over the terminal: serial number MFR1C123456789ABC, operator BEL87astrdge12k8.
Company: Acme Logistics NV, BTW BE 0428.759.497. Again: container MSCU1234566, IMO 9811000.
"""


def _found(text):
    return {(c.kind, c.normalised.value) for c in extract(text)}


def test_it_finds_the_indicators_of_a_police_summary_in_dutch_french_and_english():
    found = _found(POLICE_SUMMARY)
    expected = {
        ("plate", "BE:1ABC234"), ("container", "MSCU1234566"), ("seal", "ABC12345"),
        ("vessel_name", "EVER GIVEN"), ("imo", "9811000"), ("mmsi", "353136000"), ("call_sign", "H3RC"),
        ("eni", "06003456"), ("plate", "FR:AB123CD"), ("phone", "+33612345678"),
        ("email", "marie.dupont@example.fr"), ("url", "https://secure-login.example.com/port/update?id=7"),
        ("ip", "203.0.113.45"), ("file_hash", "44d88612fea8a8f36de82e12a9ca2f5a"), ("domain", "evil-port.com"),
        ("drone_serial", "MFR1C123456789ABC"), ("uas_operator", "BEL87astrdge12k8"), ("company", "BE0428759497"),
    }
    assert expected <= found


def test_it_proposes_a_container_number_with_a_wrong_check_digit_flagged_with_the_correction():
    [container] = [c for c in extract(POLICE_SUMMARY) if c.normalised.value == "CSQU3054384"]
    assert container.normalised.flags and container.normalised.suggestion == "CSQU3054383"
    assert container.confidence < 0.95


def test_it_proposes_a_person_only_as_a_pseudonym():
    [person] = [c for c in extract(POLICE_SUMMARY) if c.kind == "person"]
    assert person.raw.startswith("Jan JANSSENS") and "JANSSENS" not in person.normalised.value


def test_it_proposes_each_value_once_and_never_overlapping_spans():
    candidates = extract(POLICE_SUMMARY)
    keys = [(c.kind, c.normalised.value) for c in candidates]
    assert len(keys) == len(set(keys))
    spans = sorted((c.start, c.end) for c in candidates)
    assert all(end <= next_start for (_, end), (next_start, _) in zip(spans, spans[1:]))


def test_it_refangs_defanged_urls_and_addresses_and_keeps_the_domain_inside_the_url():
    found = _found("see hxxp://bad[.]example[.]com/a and 198.51.100[.]7")
    assert ("url", "http://bad.example.com/a") in found and ("ip", "198.51.100.7") in found
    assert not any(kind == "domain" for kind, _ in found)


def test_it_finds_nothing_in_plain_prose_or_empty_text():
    assert extract("") == []
    assert extract("The meeting is on Tuesday at ten; bring the usual documents.") == []
