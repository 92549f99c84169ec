"""The report pages, the error pages and the API speak the person's language: English, Dutch
(as in Flanders), French (as in Belgium) and German. And no catalogue holds an untranslated,
fuzzy or uncompiled message."""

import ast
import gettext
import html
import io
import re
import tokenize
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from port2port.core.sharing import Audience, Tlp

from .api_helpers import Api, problem, report_body

LANGUAGES = ["nl", "fr", "de"]

# What each page must say, per language: a heading, a label or a value that only a translated
# page shows.
EXPECTED = {
    "list": {
        "nl": ["Meldingen", "Nieuwe melding", "TLP-label", "Periode", "1 melding", "Drugssmokkel"],
        "fr": ["Signalements", "Nouveau signalement", "Étiquette TLP", "Période", "1 signalement", "Trafic de drogue"],
        "de": ["Meldungen", "Neue Meldung", "TLP-Kennzeichnung", "Zeitraum", "1 Meldung", "Drogenschmuggel"],
    },
    "detail": {
        "nl": ["Wat er gebeurde", "Delen wijzigen", "gedeeld met: het hele netwerk", "Ernst", "Opmerking toevoegen"],
        "fr": ["Ce qui s'est passé", "Modifier le partage", "partagé avec : tout le réseau", "Gravité", "Ajouter un commentaire"],
        "de": ["Was geschah", "Freigabe ändern", "geteilt mit: das ganze Netzwerk", "Schweregrad", "Kommentar hinzufügen"],
    },
    "create": {
        "nl": ["Nieuwe melding", "Tijdstip van de feiten", "Betrouwbaarheid van de bron", "Aangeduide personen", "Opslaan als ontwerp", "— kies —"],
        "fr": ["Nouveau signalement", "Date et heure des faits", "Fiabilité de la source", "Personnes désignées", "Enregistrer comme brouillon", "— choisir —"],
        "de": ["Neue Meldung", "Zeitpunkt des Vorfalls", "Zuverlässigkeit der Quelle", "Benannte Personen", "Als Entwurf speichern", "— bitte wählen —"],
    },
    "share": {
        "nl": ["Ontvangers", "Een label versoepelen of de ontvangers uitbreiden", "Nieuwe markering opslaan", "TLP:AMBER"],
        "fr": ["Destinataires", "Assouplir l'étiquette ou élargir les destinataires", "Enregistrer le nouveau marquage", "TLP:AMBER"],
        "de": ["Empfängerkreis", "Kennzeichnung lockern oder Empfängerkreis erweitern", "Neue Markierung speichern", "TLP:AMBER"],
    },
    "404": {
        "nl": ["Niet gevonden", "Hier is niets wat u kunt zien.", "Terug naar de startpagina"],
        "fr": ["Introuvable", "Il n'y a rien ici que vous puissiez voir.", "Retour à la page d'accueil"],
        "de": ["Nicht gefunden", "Hier gibt es nichts, was Sie sehen können.", "Zurück zur Startseite"],
    },
}


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def speaking(user, language):
    user.language = language
    user.save(update_fields=["language"])
    return user


def assert_says(response, language, page):
    body = text_of(response)
    assert f'<html lang="{language}">' in body
    for expected in EXPECTED[page][language]:
        assert expected in body, f"{page} in {language} lacks {expected!r}"


# --- a signed-in person: the language of their profile ---------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_report_list_speaks_the_persons_language(world, client_for, language):
    world.report()
    response = client_for(speaking(world.analyst_a, language)).get("/reports/")
    assert response.status_code == 200
    assert_says(response, language, "list")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_report_page_speaks_the_persons_language(world, client_for, language):
    report = world.report()
    response = client_for(speaking(world.analyst_a, language)).get(f"/reports/{report.pk}/")
    assert response.status_code == 200
    assert_says(response, language, "detail")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_create_form_speaks_the_persons_language(world, client_for, language):
    response = client_for(speaking(world.analyst_a, language)).get("/reports/new/")
    assert response.status_code == 200
    assert_says(response, language, "create")


@pytest.mark.parametrize("language, expected", [
    ("nl", "Titel: Dit veld is verplicht."),
    ("fr", "Titre : Ce champ est obligatoire."),
    ("de", "Titel: Dieses Feld ist zwingend erforderlich."),
])
def test_a_field_error_names_the_field_in_the_persons_language(world, client_for, language, expected):
    client = client_for(speaking(world.analyst_a, language))
    response = client.post("/reports/new/", {"title": "", "category": "drone", "occurred_at": "2026-03-04T03:30",
                                             "narrative": "Seen from the quay.", "tlp": Tlp.AMBER,
                                             "audience": Audience.NETWORK, "intent": "share"})
    assert response.status_code == 200
    assert expected in text_of(response)


@pytest.mark.parametrize("language, expected", [
    ("nl", "Dit ligt in de toekomst. Wanneer gebeurde het?"),
    ("fr", "Cette date est dans le futur. Quand cela s'est-il produit ?"),
    ("de", "Das liegt in der Zukunft. Wann ist es geschehen?"),
])
def test_our_own_field_messages_are_translated_too(world, client_for, language, expected):
    client = client_for(speaking(world.analyst_a, language))
    response = client.post("/reports/new/", {"title": "Later", "category": "drone", "occurred_at": "2099-01-01T00:00",
                                             "narrative": "Not yet.", "tlp": Tlp.AMBER,
                                             "audience": Audience.NETWORK, "intent": "share"})
    assert expected in text_of(response)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_share_dialog_speaks_the_persons_language(world, client_for, language):
    report = world.report()
    response = client_for(speaking(world.analyst_a, language)).get(f"/reports/{report.pk}/share/")
    assert response.status_code == 200
    assert_says(response, language, "share")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_not_found_page_speaks_the_persons_language_and_still_equals_missing(world, client_for, language):
    report = world.report(tlp=Tlp.AMBER, audience=Audience.OWNER)
    client = client_for(speaking(world.outsider_c, language))
    invisible, missing = client.get(f"/reports/{report.pk}/"), client.get("/reports/999999/")
    assert invisible.status_code == missing.status_code == 404
    assert invisible.content == missing.content
    assert_says(missing, language, "404")


@pytest.mark.parametrize("language", LANGUAGES)
def test_coordinates_keep_their_decimal_point_in_every_language(world, client_for, language):
    # "51,23450, 4,40000" would be unreadable: the decimal comma would meet the separator.
    report = world.report(latitude=51.2345, longitude=4.4)
    body = text_of(client_for(speaking(world.analyst_a, language)).get(f"/reports/{report.pk}/"))
    assert "51.23450, 4.40000" in body


@pytest.mark.parametrize("language, title", [
    ("nl", "Versiegeschiedenis"), ("fr", "Historique des versions"), ("de", "Versionsverlauf"),
])
def test_the_history_names_changed_fields_in_the_persons_language(world, client_for, language, title):
    from port2port.reports import actions

    report = world.report()
    actions.edit_report(report, acting_user=world.analyst_a, severity="critical")
    body = text_of(client_for(speaking(world.analyst_a, language)).get(f"/reports/{report.pk}/history/"))
    severity = {"nl": ("Ernst", "Kritiek"), "fr": ("Gravité", "Critique"), "de": ("Schweregrad", "Kritisch")}[language]
    assert title in body and all(word in body for word in severity)


@pytest.mark.parametrize("language, expected", [
    ("nl", "Er ging iets mis"), ("fr", "Un problème est survenu"), ("de", "Etwas ist schiefgelaufen"),
])
def test_the_server_error_page_speaks_the_language_of_the_request(rf, language, expected):
    from django.utils import translation
    from django.views.defaults import server_error

    with translation.override(language):
        body = text_of(server_error(rf.get("/")))
    assert f'<html lang="{language}">' in body and expected in body


@pytest.mark.parametrize("language, expected", [
    ("nl", "Dit wachtwoord is te kort. Het moet minstens 12 tekens bevatten."),
    ("fr", "Ce mot de passe est trop court. Il doit contenir au minimum 12 caractères."),
    ("de", "Dieses Passwort ist zu kurz. Es muss mindestens 12 Zeichen enthalten."),
])
def test_a_too_short_password_is_explained_in_the_persons_language(language, expected):
    # Django 6.1 reworded this message and its own Dutch catalogue missed it (core/django_messages.py).
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.utils import translation

    with translation.override(language), pytest.raises(ValidationError) as refused:
        validate_password("short 1")
    assert expected in refused.value.messages


# --- a visitor: the browser's Accept-Language --------------------------------------------------


@pytest.mark.parametrize("accept, language", [
    ("nl-BE,nl;q=0.9,en;q=0.5", "nl"), ("fr-BE,fr;q=0.9", "fr"), ("de-DE,de;q=0.9", "de"),
])
def test_a_visitor_gets_the_not_found_page_in_the_browsers_language(db, client, accept, language):
    response = client.get("/no-such-page/", headers={"accept-language": accept})
    assert response.status_code == 404
    assert_says(response, language, "404")


@pytest.mark.parametrize("accept, expected", [
    ("nl-BE,nl;q=0.9", "Accounts komen er op uitnodiging"),
    ("fr-BE,fr;q=0.9", "Les comptes sont créés sur invitation"),
    ("de-DE,de;q=0.9", "Konten gibt es auf Einladung"),
])
def test_a_visitor_signs_in_in_the_browsers_language(db, client, accept, expected):
    response = client.get("/accounts/login/", headers={"accept-language": accept})
    assert response.status_code == 200
    assert expected in text_of(response)


@pytest.mark.parametrize("accept, expected", [
    ("nl-BE,nl;q=0.9", ["Openbare meldingen", "Diefstal of schade"]),
    ("fr-BE,fr;q=0.9", ["Signalements publics", "Vol ou dégâts"]),
    ("de-DE,de;q=0.9", ["Öffentliche Meldungen", "Diebstahl oder Beschädigung"]),
])
def test_a_visitor_reads_public_reports_in_the_browsers_language(world, client, settings, accept, expected):
    settings.PUBLIC_PAGES = True
    world.report(tlp=Tlp.CLEAR, audience=Audience.PUBLIC, category="theft", modus_operandi="")
    body = text_of(client.get("/", headers={"accept-language": accept}))
    assert all(text in body for text in expected)


# --- the API -------------------------------------------------------------------------------


def test_a_french_speaking_person_gets_api_errors_in_french(world):
    speaking(world.analyst_a, "fr")
    api = Api(world.analyst_a)
    body = problem(api.post("/reports", report_body(world, port="ZZZZZ")))
    assert body["title"] == "Saisie non valide"
    assert body["detail"] == "Certains champs ne sont pas valides."
    assert body["errors"] == [{"field": "port", "message": "Port inconnu. Indiquez son UN/LOCODE, par exemple BEANR."}]
    marking = problem(api.post("/reports", report_body(world, tlp="red", audience="network")))
    assert {"field": "audience", "message": "TLP:RED ne va qu'à des personnes désignées."} in marking["errors"]


def test_the_same_api_error_in_dutch_and_german(world):
    for language, expected in [("nl", "Onbekende haven."), ("de", "Unbekannter Hafen.")]:
        speaking(world.analyst_a, language)
        response = Api(world.analyst_a).post("/reports", report_body(world, port="ZZZZZ"))
        assert any(error["message"].startswith(expected) for error in problem(response)["errors"])


# --- the catalogues --------------------------------------------------------------------------

PACKAGE = Path(django_settings.BASE_DIR)
CATALOGUES = sorted(PACKAGE.rglob("locale/*/LC_MESSAGES/django.po"))
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|\{\w*\}")


def read_po(path: Path) -> list[dict]:
    """The entries of a .po file: context, id, plural id, translations and flags. Just enough
    of the format for these checks (no dependency for it)."""
    entries, entry, key = [], None, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if entry is not None:
                entries.append(entry)
            entry = key = None
            continue
        entry = entry or {"flags": set(), "msgctxt": None, "msgid": "", "msgid_plural": None, "msgstr": {}}
        if line.startswith("#,"):
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            _append(entry, key, _unquote(line))
        else:
            keyword, _, value = line.partition(" ")
            match = re.fullmatch(r"msgstr\[(\d)\]", keyword)
            key = ("msgstr", int(match.group(1))) if match else ("msgstr", None) if keyword == "msgstr" else keyword
            _append(entry, key, _unquote(value), start=True)
    return [entry for entry in entries if entry["msgid"]]  # the header has an empty id


def _append(entry, key, text, start=False):
    if isinstance(key, tuple):
        entry["msgstr"][key[1]] = ("" if start else entry["msgstr"][key[1]]) + text
    else:
        entry[key] = ("" if start or entry[key] is None else entry[key]) + text


def _unquote(quoted: str) -> str:
    return ast.literal_eval(quoted.strip())  # a .po string is a valid Python string literal


def is_translated(entry) -> bool:
    return bool(entry["msgstr"]) and all(entry["msgstr"].values())


def test_every_app_with_a_catalogue_has_dutch_french_and_german():
    folders = {path.parents[2] for path in CATALOGUES}
    assert folders, "no catalogue found"
    for folder in folders:
        assert {path.parents[1].name for path in CATALOGUES if path.parents[2] == folder} >= set(LANGUAGES), folder


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: str(path.relative_to(PACKAGE)))
def test_every_message_is_translated_and_none_is_fuzzy(path):
    entries = read_po(path)
    assert entries
    fuzzy = [entry["msgid"] for entry in entries if "fuzzy" in entry["flags"]]
    untranslated = [entry["msgid"] for entry in entries if not is_translated(entry)]
    assert fuzzy == [] and untranslated == []


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: str(path.relative_to(PACKAGE)))
def test_translations_keep_every_placeholder(path):
    for entry in read_po(path):
        wanted = set(PLACEHOLDER.findall(entry["msgid"] + (entry["msgid_plural"] or "")))
        for form, text in entry["msgstr"].items():
            found = set(PLACEHOLDER.findall(text))
            # The singular form may leave out the count ("Last day" for 1).
            assert found <= wanted and (form == 0 and entry["msgid_plural"] or found == wanted), (entry["msgid"], text)


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: str(path.relative_to(PACKAGE)))
def test_the_compiled_catalogue_matches_its_source(path):
    """A .po edited without running compilemessages would not reach anyone: the .mo is what Django reads."""
    with open(path.with_suffix(".mo"), "rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)._catalog
    for entry in filter(is_translated, read_po(path)):  # the untranslated have their own test
        msgid = f"{entry['msgctxt']}\x04{entry['msgid']}" if entry["msgctxt"] else entry["msgid"]
        if entry["msgid_plural"] is None:
            assert catalogue.get(msgid) == entry["msgstr"][None], msgid
        else:
            assert [catalogue.get((msgid, n)) for n in sorted(entry["msgstr"])] == [
                entry["msgstr"][n] for n in sorted(entry["msgstr"])
            ], msgid


# --- every marked string reaches a catalogue ------------------------------------------------

GETTEXT_CALLS = {
    "_": "s", "gettext": "s", "gettext_lazy": "s", "gettext_noop": "s",
    "pgettext": "cs", "pgettext_lazy": "cs",
    "ngettext": "sp", "ngettext_lazy": "sp", "npgettext": "csp", "npgettext_lazy": "csp",
}


def marked_strings():
    """(context, msgid, plural id, where) for every string marked for translation in the
    package's code and templates, found the way makemessages finds them, without xgettext."""
    skipped = {"tests", "migrations", "demo"}  # the demo's data is made-up content, not the product's words
    for path in sorted(PACKAGE.rglob("*.py")):
        if not skipped & set(path.relative_to(PACKAGE).parts) and path.name != "conftest.py":
            yield from _marked_in_python(path)
    for path in sorted(PACKAGE.rglob("templates/**/*.html")):
        if not skipped & set(path.relative_to(PACKAGE).parts):
            yield from _marked_in_template(path)


def _marked_in_python(path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            strings = [arg.value for arg in node.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str)]
            yield from _as_message(name, strings, f"{path.relative_to(PACKAGE)}:{node.lineno}")


def _marked_in_template(path):
    from django.utils.translation.template import templatize

    # templatize() turns a template into Python-like text: the gettext calls, and filler around them.
    text = "\n".join(line.lstrip() for line in templatize(path.read_text(encoding="utf-8"), origin=str(path)).splitlines())
    tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    for i, token in enumerate(tokens):
        if token.type == tokenize.NAME and token.string in GETTEXT_CALLS and tokens[i + 1].string == "(":
            strings = [ast.literal_eval(t.string) for t in tokens[i + 2:i + 8:2] if t.type == tokenize.STRING]
            yield from _as_message(token.string, strings, str(path.relative_to(PACKAGE)))


def _as_message(name, strings, where):
    shape = GETTEXT_CALLS.get(name)
    if shape and len(strings) >= len(shape):
        values = dict(zip(shape, strings))
        yield values.get("c"), values["s"], values.get("p"), where


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_marked_string_has_a_translation_at_run_time(language):
    """A string marked in the code but missing from every catalogue shows in English: run
    makemessages in its app (or in port2port/ for the project's templates) and translate it."""
    from django.utils.translation import trans_real

    catalogue = trans_real.translation(language)._catalog  # what Django really uses: every catalogue merged
    missing = []
    for context, msgid, plural, where in marked_strings():
        key = f"{context}\x04{msgid}" if context else msgid
        if not (catalogue.get((key, 0)) if plural else catalogue.get(key)):
            missing.append(f"{where}: {msgid!r}")
    assert missing == []
