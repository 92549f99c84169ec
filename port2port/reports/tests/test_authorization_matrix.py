"""The authorization matrix: personas × labels × audiences × every read channel.

For each allowed marking, port A's analyst files one report (with a comment and an attachment)
and every persona reads it through every channel. A reader gets exactly what the rule in
docs/sharing-rules.md gives them; anyone else gets a 404 whose body is byte for byte the body
for an id that does not exist (anonymous visitors: the login redirect, or the API's 401, the
same as for a missing id). Lists and searches include the report exactly for its readers.
Each (persona, channel) pair is a subtest; the test ids name the marking.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from port2port.core.sharing import Audience, Tlp
from port2port.reports import actions

MISSING_ID = 987654321
MISSING_ATTACHMENT = 987654321

PERSONAS = ["analyst_a", "admin_a", "analyst_b", "red_reader_b", "outsider_c", "police_analyst", "platform_admin",
            "anonymous"]
OWNER = {"analyst_a", "admin_a"}
PARTNER_B = {"analyst_b", "red_reader_b"}
READERS = {
    Audience.OWNER: OWNER,
    Audience.ORGANISATIONS: OWNER | PARTNER_B,  # named: port B
    Audience.GROUP: OWNER | PARTNER_B | {"police_analyst"},  # the Drugs group: A, B, police
    Audience.NETWORK: OWNER | PARTNER_B | {"police_analyst"},  # C is not a network member
    Audience.PUBLIC: OWNER | PARTNER_B | {"police_analyst"},  # public pages are off here
    Audience.PEOPLE: {"analyst_a", "red_reader_b"},  # RED: the author and the person named
}
MARKINGS = [
    *[(Tlp.CLEAR, audience) for audience in ("owner", "organisations", "group", "network", "public")],
    *[(label, audience) for label in (Tlp.GREEN, Tlp.AMBER, Tlp.AMBER_STRICT)
      for audience in ("owner", "organisations", "group", "network")],
    (Tlp.RED, Audience.PEOPLE),
]


def single_item_channels(report_id: int, attachment_id: int) -> dict[str, str]:
    """Channels that name one report; each maps to its URL."""
    return {
        "web detail": f"/reports/{report_id}/",
        "web history": f"/reports/{report_id}/history/",
        "web attachment": f"/reports/{report_id}/attachments/{attachment_id}/",
        "api detail": f"/api/v1/reports/{report_id}",
        "api comments": f"/api/v1/reports/{report_id}/comments",
        "api attachments": f"/api/v1/reports/{report_id}/attachments",
        "api attachment download": f"/api/v1/reports/{report_id}/attachments/{attachment_id}",
        "api history": f"/api/v1/reports/{report_id}/history",
    }


LIST_CHANNELS = {
    "web list": "/reports/",
    "web search": "/reports/?q=quokka",
    "api list": "/api/v1/reports?limit=100",
    "api search": "/api/v1/reports?q=quokka&limit=100",
}


@pytest.fixture
def storage(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}}}


def file_matrix_report(world, tlp, audience):
    marking = {}
    if audience == Audience.ORGANISATIONS:
        marking["recipient_orgs"] = [world.org_b]
    if audience == Audience.GROUP:
        marking["sharing_group"] = world.drugs_group
    if audience == Audience.PEOPLE:
        marking["recipient_people"] = [world.red_reader_b]
    report = world.report(tlp=tlp, audience=audience, title="Quokka sighting at the reefer stack",
                          narrative="A quokka was seen near the reefer stack.", **marking)
    actions.add_comment(report, acting_user=world.analyst_a, body="Wombat note: cameras 4 and 5 saw it.")
    attachment = actions.add_attachment(report, acting_user=world.analyst_a,
                                        upload=SimpleUploadedFile("notes.txt", b"numbat evidence\n"))
    return report, attachment


def client_of(world, persona: str) -> Client:
    client = Client()
    if persona != "anonymous":
        client.force_login(getattr(world, persona))
    return client


def assert_reads(response, channel: str):
    assert response.status_code == 200, (channel, response.status_code)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if "attachment" in channel and "attachments" not in channel:
        assert body == b"numbat evidence\n"
    elif "comments" in channel:
        assert b"Wombat note" in body
    elif "attachments" in channel:
        assert b"notes.txt" in body
    else:
        assert b"Quokka sighting" in body


def assert_same_as_missing(response, missing, channel: str):
    """Forbidden looks exactly like missing: same status, same body (the login redirect for
    anonymous web pages differs only in the `next` address, which is the visitor's own)."""
    assert response.status_code == missing.status_code, (channel, response.status_code, missing.status_code)
    if response.status_code in (301, 302):
        assert response["Location"].split("?")[0] == missing["Location"].split("?")[0]
    else:
        assert response.content == missing.content, channel
    assert response.status_code in (302, 401, 404), channel


@pytest.mark.parametrize(("tlp", "audience"), MARKINGS, ids=[f"{t}-{a}" for t, a in MARKINGS])
def test_every_persona_reads_exactly_what_the_rule_gives(world, storage, subtests, tlp, audience):
    report, attachment = file_matrix_report(world, tlp, audience)
    readers = READERS[audience]
    for persona in PERSONAS:
        client = client_of(world, persona)
        may_read = persona in readers
        present = single_item_channels(report.pk, attachment.pk)
        missing = single_item_channels(MISSING_ID, MISSING_ATTACHMENT)
        for channel, url in present.items():
            with subtests.test(persona=persona, channel=channel):
                response = client.get(url)
                if may_read:
                    assert_reads(response, channel)
                else:
                    assert_same_as_missing(response, client.get(missing[channel]), channel)
        for channel, url in LIST_CHANNELS.items():
            with subtests.test(persona=persona, channel=channel):
                response = client.get(url)
                if persona == "anonymous":
                    assert response.status_code in (302, 401)
                    continue
                assert response.status_code == 200
                assert (b"Quokka sighting" in response.content) is may_read, (channel, persona)
                assert (b"Wombat" in response.content) is False  # lists never carry comments


def test_the_matrix_covers_every_allowed_marking():
    from port2port.core.sharing import MarkingError, check_marking

    allowed = set()
    for label in Tlp.values:
        for audience in Audience.values:
            try:
                check_marking(label, audience)
            except MarkingError:
                continue
            allowed.add((label, audience))
    assert allowed == {(str(t), str(a)) for t, a in MARKINGS}


@pytest.mark.parametrize("persona", ["anonymous", "outsider_c", "platform_admin"])
def test_public_pages_show_public_clear_reports_to_anyone(world, storage, settings, persona):
    settings.PUBLIC_PAGES = True
    report, _ = file_matrix_report(world, Tlp.CLEAR, Audience.PUBLIC)
    response = client_of(world, persona).get(f"/reports/{report.pk}/")
    assert_reads(response, "web detail")


@pytest.mark.parametrize("persona", ["anonymous", "outsider_c", "platform_admin"])
def test_public_pages_show_nothing_else(world, storage, settings, persona):
    settings.PUBLIC_PAGES = True
    report, _ = file_matrix_report(world, Tlp.GREEN, Audience.NETWORK)
    client = client_of(world, persona)
    response = client.get(f"/reports/{report.pk}/")
    assert_same_as_missing(response, client.get(f"/reports/{MISSING_ID}/"), "web detail")
