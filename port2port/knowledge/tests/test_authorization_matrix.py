"""The authorization matrix for articles: personas × labels × audiences × every read channel.

For each allowed marking, port A's analyst writes one article (with a comment, an attachment,
a second version, feedback and a proposal from a partner when the partner may read it), and
every persona reads it through every channel. A reader gets what the rule gives them; anyone
else gets a 404 byte for byte like the 404 for an id that does not exist.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from port2port.core.sharing import Audience, Tlp
from port2port.knowledge import actions
from port2port.reports.tests.test_authorization_matrix import MARKINGS, PERSONAS, READERS, assert_same_as_missing

from .conftest import write

MISSING = 987654321


def single_item_channels(article_id: int, attachment_id: int, proposal_id: int) -> dict[str, str]:
    return {
        "web detail": f"/knowledge/{article_id}/",
        "web history": f"/knowledge/{article_id}/history/",
        "web compare": f"/knowledge/{article_id}/compare/?from=1&to=2",
        "web attachment": f"/knowledge/{article_id}/attachments/{attachment_id}/",
        "web proposal": f"/knowledge/{article_id}/proposals/{proposal_id}/",
        "api detail": f"/api/v1/articles/{article_id}",
        "api versions": f"/api/v1/articles/{article_id}/versions",
        "api diff": f"/api/v1/articles/{article_id}/diff?from=1&to=2",
        "api comments": f"/api/v1/articles/{article_id}/comments",
        "api attachments": f"/api/v1/articles/{article_id}/attachments",
        "api attachment download": f"/api/v1/articles/{article_id}/attachments/{attachment_id}",
        "api proposals": f"/api/v1/articles/{article_id}/proposals",
        "api feedback": f"/api/v1/articles/{article_id}/feedback",
    }


LIST_CHANNELS = {"web list": "/knowledge/", "web search": "/knowledge/?q=quokka", "api list": "/api/v1/articles?limit=100"}


def write_matrix_article(world, tlp, audience):
    marking = {}
    if audience == Audience.ORGANISATIONS:
        marking["recipient_orgs"] = [world.org_b]
    if audience == Audience.GROUP:
        marking["sharing_group"] = world.drugs_group
    if audience == Audience.PEOPLE:
        marking["recipient_people"] = [world.red_reader_b]
    article = write(world, tlp=tlp, audience=audience, title="Quokka watch at the reefer stack",
                    body="Quokkas like reefers.", **marking)
    actions.revise_article(article, acting_user=world.analyst_a, body="Quokkas like warm reefers.")
    actions.add_comment(article, acting_user=world.analyst_a, body="Wombat note: cameras 4 and 5.")
    attachment = actions.add_attachment(article, acting_user=world.analyst_a,
                                        upload=SimpleUploadedFile("notes.txt", b"numbat evidence\n"))
    # The proposal is the author's own, so every reader who may see the article could not see
    # it unless they are its editor: the proposal channel tests the proposal rule too.
    proposal = actions.propose_edit(article, acting_user=world.analyst_a, title=article.title,
                                    body="Quokkas like very warm reefers.", note="Warmer")
    actions.give_feedback(article, acting_user=world.analyst_a, kind="helpful")
    return article, attachment, proposal


def client_of(world, persona: str) -> Client:
    client = Client()
    if persona != "anonymous":
        client.force_login(getattr(world, persona))
    return client


PROPOSAL_READERS = {"analyst_a"}  # its proposer (who is also the article's author)


def assert_reads(response, channel: str):
    assert response.status_code == 200, (channel, response.status_code)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if channel.endswith("attachment") or channel.endswith("download"):
        assert body == b"numbat evidence\n"
    elif "comments" in channel:
        assert b"Wombat note" in body
    elif "attachments" in channel:
        assert b"notes.txt" in body
    elif "feedback" in channel:
        assert b'"helpful": 1' in body or b'"helpful":1' in body
    elif "diff" in channel or "compare" in channel:
        assert b"warm reefers" in body
    elif "proposals" in channel:
        assert body.startswith(b"[")
    else:
        assert b"Quokka" in body


@pytest.mark.parametrize(("tlp", "audience"), MARKINGS, ids=[f"{t}-{a}" for t, a in MARKINGS])
def test_every_persona_reads_exactly_what_the_rule_gives(world, storage, subtests, tlp, audience):
    article, attachment, proposal = write_matrix_article(world, tlp, audience)
    readers = READERS[audience]
    for persona in PERSONAS:
        client = client_of(world, persona)
        may_read = persona in readers
        present = single_item_channels(article.pk, attachment.pk, proposal.pk)
        missing = single_item_channels(MISSING, MISSING, MISSING)
        for channel, url in present.items():
            with subtests.test(persona=persona, channel=channel):
                response = client.get(url)
                if channel == "web proposal" and may_read and persona not in PROPOSAL_READERS | {"admin_a"}:
                    # Readers of the article who are neither its editor nor the proposer: 404.
                    assert response.status_code == 404
                elif may_read:
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
                assert (b"Quokka watch" in response.content) is may_read, (channel, persona)
                assert b"Wombat" not in response.content


def test_partners_see_only_their_own_proposals_and_editors_all(world, client_for):
    article = write(world, tlp=Tlp.GREEN)
    mine = actions.propose_edit(article, acting_user=world.analyst_b, title="B's title", body=article.body, note="B")
    other = actions.propose_edit(article, acting_user=world.police_analyst, title="P's title", body=article.body, note="P")
    assert client_for(world.analyst_b).get(f"/knowledge/{article.pk}/proposals/{mine.pk}/").status_code == 200
    assert client_for(world.analyst_b).get(f"/knowledge/{article.pk}/proposals/{other.pk}/").status_code == 404
    assert client_for(world.officer_a).get(f"/knowledge/{article.pk}/proposals/{other.pk}/").status_code == 200
    ids = [p["id"] for p in client_for(world.analyst_b).get(f"/api/v1/articles/{article.pk}/proposals").json()]
    assert ids == [mine.pk]
