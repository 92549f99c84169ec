"""The full-text helpers: words, stems, the language guess and queries that nothing typed can
turn into an operator (checked against a real FTS5 table, without Django)."""

import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from port2port.core import fulltext
from port2port.core.fulltext import FTS5_TABLE, Document, fts5_query, fts5_row, guess_language, stems, words

DOCUMENTS = {
    1: ("Containers geïnspecteerd", "De douane heeft twee containers op de kade gecontroleerd.", "nl"),
    2: ("Inspection des conteneurs", "Les conteneurs frigorifiques ont été inspectés au terminal.", "fr"),
    3: ("Reefer inspections", "The inspections of the reefer containers found cocaine.", "en"),
    4: ("Drohnen über dem Hafen", "Die Drohne wurde im Hafen von der Polizei gesehen.", "de"),
}


@pytest.fixture
def fts():
    """An in-memory FTS5 table made and filled as FullTextIndex makes and fills it."""
    db = sqlite3.connect(":memory:")
    db.execute(f"CREATE VIRTUAL TABLE doc USING fts5({FTS5_TABLE})")
    for pk, (title, body, language) in DOCUMENTS.items():
        db.execute("INSERT INTO doc (rowid, title, body, stems) VALUES (?, ?, ?, ?)",
                   fts5_row(Document(pk, title, body, language)))

    def found(text):
        query = fts5_query(text)
        return {row[0] for row in db.execute("SELECT rowid FROM doc WHERE doc MATCH ?", (query,))} if query else set()

    yield found
    db.close()


def test_words_are_lowercased_letters_and_digits():
    assert words("Container MSCU1234565 at Quay-9; l'inspection_du port") == [
        "container", "mscu1234565", "at", "quay", "9", "inspection", "du", "port",
    ]


def test_a_french_elision_leaves_the_word_alone():
    assert words("l’entrepôt d'Anvers qu'il") == ["entrepot", "anvers", "il"]


def test_stems_cover_every_language_without_the_word_itself():
    assert stems("containers") == {"contain", "container"}
    assert "conteneur" in stems("conteneurs")
    assert stems("inspections", ["en"]) == {"inspect"}


@pytest.mark.parametrize(("text", "language"), [
    ("De container werd bij de terminal geopend en er was geen douane.", "nl"),
    ("The container was opened at the terminal and there were no customs.", "en"),
    ("Le conteneur a été ouvert dans le terminal et la douane était absente.", "fr"),
    ("Der Container wurde im Terminal geöffnet und der Zoll war nicht da.", "de"),
])
def test_it_guesses_the_language_from_function_words(text, language):
    assert guess_language(text) == language


def test_it_does_not_guess_from_too_few_words():
    assert guess_language("Reefer tampering at quay 9") is None
    assert guess_language("") is None


@pytest.mark.parametrize(("typed", "found"), [
    ("containers", {1, 3}),  # Dutch "containers" is the stem of itself; English stems to "contain"
    ("container", {1, 3}),
    ("conteneurs", {2}),
    ("conteneur", {2}),
    ("inspection", {2, 3}),
    ("inspections", {2, 3}),
    ("inspectés", {2, 3}),  # French "inspect" is also the English stem of "inspections"
    ("gecontroleerd", {1}),
    ("drohnen", {4}),
    ("drohne", {4}),
    ("reefer cocaine", {3}),
    ("reefer heroin", set()),
])
def test_a_word_finds_its_other_forms_in_its_language(fts, typed, found):
    assert fts(typed) == found


def test_the_last_word_is_also_a_prefix_for_type_ahead(fts):
    assert fts("cocai") == {3}
    assert fts("reef coca") == set()  # only the last word is a prefix


def test_accents_are_optional(fts):
    assert fts("geinspecteerd") == {1}
    assert fts("uber") == {4}


@pytest.mark.parametrize("typed", [
    '"', "'", "*", "(", ")", "NEAR(reefer cocaine)", "reefer OR cocaine", "reefer NOT cocaine", "-reefer",
    "title:reefer", "{title}:reefer", "reefer AND", "^reefer", '"reefer" + "x"', "\\", "'; DROP TABLE doc; --",
    "\x00", "reefer\x00cocaine", "💥 drone", "a" * 5000,
])
def test_what_people_type_never_acts_as_an_operator(fts, typed):
    fts(typed)  # raises sqlite3.OperationalError if FTS5 reads an operator
    assert '"' not in "".join(t for alternatives, _ in fulltext.query_terms(typed) for t in alternatives)


def test_operators_typed_are_words_that_must_appear(fts):
    assert fts("reefer OR heroin") == set()
    assert fts("reefer NOT cocaine") == set()


def test_a_query_without_words_is_empty():
    assert fts5_query(" *()\"' ") == ""


def test_at_most_twelve_words_count():
    assert fts5_query(" ".join(f"w{i}" for i in range(40))).count(" AND ") == fulltext.MAX_QUERY_WORDS - 1


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_no_text_makes_the_query_fail(text):
    db = sqlite3.connect(":memory:")
    db.execute(f"CREATE VIRTUAL TABLE doc USING fts5({FTS5_TABLE})")
    db.execute("INSERT INTO doc (rowid, title, body, stems) VALUES (?, ?, ?, ?)", fts5_row(Document(1, text, text)))
    query = fts5_query(text)
    if query:
        db.execute("SELECT rowid FROM doc WHERE doc MATCH ?", (query,)).fetchall()
    db.close()


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=30))
def test_a_document_is_found_by_each_of_its_own_words(word):
    db = sqlite3.connect(":memory:")
    db.execute(f"CREATE VIRTUAL TABLE doc USING fts5({FTS5_TABLE})")
    db.execute("INSERT INTO doc (rowid, title, body, stems) VALUES (?, ?, ?, ?)",
               fts5_row(Document(1, "", f"before {word} after", "en")))
    for typed in words(word):
        assert db.execute("SELECT rowid FROM doc WHERE doc MATCH ?", (fts5_query(typed),)).fetchall() == [(1,)]
    db.close()
