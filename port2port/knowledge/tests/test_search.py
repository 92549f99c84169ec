"""Search of articles in English, Dutch and French, each stemmed in its own language, through
the visibility rule: it finds other forms of a word, never breaks on what people type, and
never finds or counts an article the reader may not see."""

import pytest
from django.urls import reverse

from port2port.core.sharing import Audience, Tlp
from port2port.knowledge import actions, search
from port2port.knowledge.models import Article
from port2port.reports.tests.api_helpers import Api

from .conftest import write

DUTCH = dict(title="Controle van containers aan de poort", language="nl",
             summary="Hoe de douane en de terminal samen een container controleren.",
             body="De chauffeur toont zijn badge. Daarna wordt de container gescand en het zegel gecontroleerd.")
FRENCH = dict(title="Inspection des conteneurs frigorifiques", language="fr",
              summary="Les points à vérifier avant d'ouvrir un conteneur.",
              body="Vérifiez le scellé avec le manifeste. Photographiez les portes avant l'ouverture.")
ENGLISH = dict(title="Drone detection at critical quays", language="en",
               summary="Lessons from the pilot with radio-frequency detectors.",
               body="The inspections showed that detectors must cover the whole quay at night.")


@pytest.fixture
def articles(world):
    return {"nl": write(world, **DUTCH), "fr": write(world, **FRENCH), "en": write(world, **ENGLISH, tags=["drones"])}


def found(user, text) -> set[int]:
    return set(search.search(Article.objects.visible_to(user), text).values_list("pk", flat=True))


@pytest.mark.parametrize(("typed", "languages"), [
    ("container", "nl"),  # the text says "containers" and "container"
    ("controles", "nl"),
    ("gescande containers", "nl"),
    ("conteneur", "fr"),
    ("conteneurs", "fr"),
    ("frigorifique", "fr"),
    ("scelles", "fr"),
    ("inspection", "fr en"),  # the French title says "inspection", the English text "inspections"
    ("inspections", "fr en"),
    ("detector", "en"),
    ("quay", "en"),
])
def test_a_word_finds_the_article_in_any_of_its_forms(world, articles, typed, languages):
    assert found(world.analyst_b, typed) == {articles[language].pk for language in languages.split()}


def test_the_summary_and_the_tags_are_searched(world, articles):
    assert found(world.analyst_b, "manifeste") == {articles["fr"].pk}
    assert found(world.analyst_b, "drones") == {articles["en"].pk}


def test_the_last_word_finds_the_start_of_a_word(world, articles):
    assert found(world.analyst_b, "photograph") == {articles["fr"].pk}
    assert found(world.analyst_b, "radio freq") == {articles["en"].pk}


def test_a_revision_is_searched_at_once_and_the_old_words_are_gone(world, articles):
    actions.revise_article(articles["en"], acting_user=world.analyst_a, note="Cameras too",
                           body="AI cameras watch the perimeter fence.")
    assert found(world.analyst_b, "camera") == {articles["en"].pk}
    assert found(world.analyst_b, "detectors must") == set()


@pytest.mark.parametrize("typed", [
    '"', "'", "*", "()", "NEAR(drone quay)", "drone OR scelle", "drone NOT quay", "-drone", "title:drone",
    "drone AND", "^drone", "'; DROP TABLE knowledge_article; --", "drone & !quay | x", "drone:*", "<->", "💥",
])
def test_what_people_type_never_breaks_the_search(world, articles, client_for, typed):
    assert found(world.analyst_b, typed) <= {articles["en"].pk}
    assert client_for(world.analyst_b).get(reverse("knowledge:index"), {"q": typed}).status_code == 200
    assert Api(world.analyst_b).get("/articles", {"q": typed}).status_code in (200, 422)


def test_it_never_finds_or_counts_an_article_the_reader_may_not_see(world, client_for):
    shared = write(world, title="Containers scannen", body="Containers scannen aan de kade.", language="nl", tlp=Tlp.GREEN)
    write(world, title="Containers intern", body="Containers van de eigen haven.", language="nl", audience=Audience.OWNER)
    write(world, title="Containers rood", body="Containers voor Rita.", language="nl", tlp=Tlp.RED,
          audience=Audience.PEOPLE, recipient_people=[world.red_reader_b])
    write(world, title="Containers in een klad", body="Containers, nog niet gedeeld.", language="nl", share_now=False)
    assert found(world.analyst_b, "container") == {shared.pk}
    assert found(world.outsider_c, "container") == set()
    assert len(found(world.red_reader_b, "container")) == 2
    assert len(found(world.analyst_a, "container")) == 4
    page = client_for(world.outsider_c).get(reverse("knowledge:index"), {"q": "container"})
    assert page.context["page"].paginator.count == 0
    assert Api(world.outsider_c).get("/articles", {"q": "container"}).json()["items"] == []


def test_the_web_and_api_searches_use_the_full_text_index(world, articles, client_for):
    page = client_for(world.analyst_b).get(reverse("knowledge:index"), {"q": "containers"})
    assert [a.pk for a in page.context["page"]] == [articles["nl"].pk]
    items = Api(world.analyst_b).get("/articles", {"q": "conteneurs"}).json()["items"]
    assert [item["id"] for item in items] == [articles["fr"].pk]


def test_search_narrows_only_what_it_is_given(world, articles):
    assert search.search(Article.objects.none(), "conteneur").count() == 0
    only_dutch = Article.objects.filter(pk=articles["nl"].pk)
    assert set(search.search(only_dutch, "container").values_list("pk", flat=True)) == {articles["nl"].pk}
