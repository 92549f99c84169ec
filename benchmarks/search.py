"""What full-text search costs over reports and articles, with the sharing rule applied.

    python benchmarks/search.py --documents 100000 [--queries 200] [--seed 7]

Builds a throwaway SQLite database (or uses DATABASE_URL, which must name an empty database)
with a network of 12 organisations (ports, police, customs), one author per organisation, an
analyst of a partner port who reads, and a sharing group. Half the documents are reports, half
knowledge articles, written in Dutch, French and English (a few German) from a port-security
vocabulary with Zipf word frequencies (common words in most documents, rare ones in few), with
a realistic mix of markings: GREEN/AMBER to the network, AMBER to the owner, AMBER+STRICT to
the group, AMBER to named organisations, CLEAR public, RED to named people, drafts.

It measures, for the analyst, the first page (25, newest first, as the web list and the API
order them) of a search through `visible_to` and the real search functions
(`reports.search.search`, `knowledge.search.search`), for at least 200 queries of 1 to 3 words
drawn from the vocabulary in the three languages, in other forms than written (plurals,
singulars, a few cut short as someone typing), common and rare: p50 and p99, beside the same
query with no visibility filter (the bare baseline). A "search" is both pages, reports and
articles, as a search page showing both would run them; each part is printed too, and the
report list's total count, which the web list adds. Documents are inserted with bulk_create
(what is measured is the read path) and indexed through `index_reports` / `index_articles`,
whose rate is printed. Reads start on a fresh connection after ANALYZE.

It prints a table and ends with one JSON line.
"""

import argparse
import gc
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

N_ORGS = 12
PAGE = 25
BATCH = 2_000


def setup_django(data_dir: str) -> None:
    os.environ.setdefault("P2P_DATA_DIR", data_dir)
    os.environ.setdefault("P2P_DEBUG", "true")
    os.environ["DJANGO_SETTINGS_MODULE"] = "port2port.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = False  # DEBUG keeps every query's text; production does not
    call_command("migrate", verbosity=0)


# --- Text ------------------------------------------------------------------------------------

# Per language: function words (most frequent), then content words from common to rare; each
# content entry lists the forms a writer uses, and a query may use another form of the same.
FUNCTION = {
    "nl": "de het een en van in op te dat die niet met voor zijn werd bij aan naar ook door is er geen".split(),
    "fr": "le la les des du un une et est dans pour par sur avec que qui pas au aux été a ont sont de en".split(),
    "en": "the and of to in was were with for on at by from that this are an it not has have which is a".split(),
    "de": "der die das und ist den dem ein eine mit von zu auf für nicht wurde im bei sich wird".split(),
}
CONTENT = {
    "nl": [
        ("container", "containers"), ("haven", "havens"), ("terminal", "terminals"), ("kade", "kades"),
        ("douane",), ("politie",), ("controle", "controles"), ("schip", "schepen"), ("vrachtwagen", "vrachtwagens"),
        ("chauffeur", "chauffeurs"), ("lading", "ladingen"), ("toegang",), ("badge", "badges"), ("poort", "poorten"),
        ("inspectie", "inspecties"), ("beveiliging",), ("nacht", "nachten"), ("camera", "camera's"),
        ("drone", "drones"), ("zegel", "zegels"), ("cocaïne",), ("smokkel",), ("koelcontainer", "koelcontainers"),
        ("uithaler", "uithalers"), ("pincode", "pincodes"), ("vrijgave",), ("hek", "hekken"), ("patrouille", "patrouilles"),
        ("bemanning",), ("insider", "insiders"), ("diefstal", "diefstallen"), ("inbraak", "inbraken"),
        ("sjorring", "sjorringen"), ("verstekeling", "verstekelingen"), ("detectie",), ("perceel", "percelen"),
        ("kraan", "kranen"), ("scanner", "scanners"), ("phishing",), ("wachtwoord", "wachtwoorden"),
    ],
    "fr": [
        ("conteneur", "conteneurs"), ("port", "ports"), ("terminal", "terminaux"), ("quai", "quais"),
        ("douane", "douanes"), ("police",), ("contrôle", "contrôles"), ("navire", "navires"), ("camion", "camions"),
        ("chauffeur", "chauffeurs"), ("cargaison", "cargaisons"), ("accès",), ("badge", "badges"), ("portail", "portails"),
        ("inspection", "inspections"), ("sûreté",), ("nuit", "nuits"), ("caméra", "caméras"), ("drone", "drones"),
        ("scellé", "scellés"), ("cocaïne",), ("trafic", "trafics"), ("frigorifique", "frigorifiques"),
        ("extracteur", "extracteurs"), ("code",), ("libération",), ("clôture", "clôtures"), ("patrouille", "patrouilles"),
        ("équipage", "équipages"), ("complicité", "complicités"), ("vol", "vols"), ("intrusion", "intrusions"),
        ("saisissage",), ("passager clandestin", "passagers clandestins"), ("détection",), ("parcelle", "parcelles"),
        ("grue", "grues"), ("scanner", "scanners"), ("hameçonnage",), ("mot de passe", "mots de passe"),
    ],
    "en": [
        ("container", "containers"), ("port", "ports"), ("terminal", "terminals"), ("quay", "quays"),
        ("customs",), ("police",), ("inspection", "inspections"), ("vessel", "vessels"), ("truck", "trucks"),
        ("driver", "drivers"), ("cargo", "cargoes"), ("access",), ("badge", "badges"), ("gate", "gates"),
        ("check", "checks", "checked"), ("security",), ("night", "nights"), ("camera", "cameras"),
        ("drone", "drones"), ("seal", "seals", "sealed"), ("cocaine",), ("smuggling", "smuggled"), ("reefer", "reefers"),
        ("extractor", "extractors"), ("pin code", "pin codes"), ("release", "released"), ("fence", "fences"),
        ("patrol", "patrols", "patrolled"), ("crew", "crews"), ("insider", "insiders"), ("theft", "thefts"),
        ("intrusion", "intrusions"), ("lashing", "lashings"), ("stowaway", "stowaways"), ("detection",),
        ("plot", "plots"), ("crane", "cranes"), ("scanner", "scanners"), ("phishing",), ("password", "passwords"),
    ],
    "de": [
        ("Container",), ("Hafen", "Häfen"), ("Terminal", "Terminals"), ("Kai", "Kais"), ("Zoll",), ("Polizei",),
        ("Kontrolle", "Kontrollen"), ("Schiff", "Schiffe"), ("Drohne", "Drohnen"), ("Kamera", "Kameras"),
        ("Siegel",), ("Kokain",), ("Schmuggel",), ("Zugang",), ("Nacht", "Nächte"),
    ],
}
LANGUAGE_SHARE = {"nl": 40, "fr": 28, "en": 28, "de": 4}
SHIPS = "Nordic Star|Ocean Queen|Maas Trader|Schelde Express|Baltic Spirit|Polar Venture|Zeeland Aurora".split("|")


class Writer:
    """Documents whose words follow a Zipf law: a few content words in most documents, the
    tail in few; function words as often as in real text, so the language can be guessed."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.identifiers: list[str] = []  # a sample of the container numbers written, to search
        self.cumulative = {}
        for language, entries in CONTENT.items():
            weights = [1 / rank ** 1.1 for rank in range(1, len(entries) + 1)]
            total, running, cumulative = sum(weights), 0.0, []
            for weight in weights:
                running += weight / total
                cumulative.append(running)
            self.cumulative[language] = cumulative

    def content_words(self, language: str, k: int) -> list[str]:
        entries = self.rng.choices(CONTENT[language], cum_weights=self.cumulative[language], k=k)
        return [self.rng.choice(entry) for entry in entries]

    def text(self, language: str, n_words: int) -> str:
        content = self.content_words(language, n_words // 2)
        function = self.rng.choices(FUNCTION[language], k=n_words - len(content))
        mixed = content + function
        self.rng.shuffle(mixed)
        if self.rng.random() < 0.3:  # the identifiers that make a report findable by few
            number = f"MSCU{self.rng.randrange(10 ** 6):06d}"
            mixed.append(f"{self.rng.choice(SHIPS)} {number}")
            if len(self.identifiers) < 1000 and self.rng.random() < 0.1:
                self.identifiers.append(number)
        return " ".join(mixed) + "."

    def title(self, language: str) -> str:
        return " ".join(self.content_words(language, self.rng.randint(3, 6))).capitalize()


def queries(n: int, rng: random.Random, writer: Writer) -> list[str]:
    """1 to 3 words; a word is any form of a content word (the written form or another),
    common and rare alike in equal measure; one query in five cut short, as typed; one in ten
    a container number written in a document (the rarest words there are)."""
    out = []
    while len(out) < n:
        if rng.random() < 0.1 and writer.identifiers:  # a container number, found in one or two
            out.append(rng.choice(writer.identifiers))
            continue
        language = rng.choices(["nl", "fr", "en"], k=1)[0]
        k = rng.choice((1, 1, 2, 2, 3))
        if rng.random() < 0.5:
            entries = [rng.choice(CONTENT[language]) for _ in range(k)]  # uniform: the rare tail as often
            terms = [rng.choice(entry) for entry in entries]
        else:
            terms = writer.content_words(language, k)  # as often as written: the common head
        text = " ".join(terms)
        if rng.random() < 0.2 and len(terms[-1]) > 5:
            text = text[: len(text) - rng.randint(1, 3)]
        out.append(text)
    return out


# --- The network -----------------------------------------------------------------------------

def build_network(rng: random.Random):
    """Organisations, people and a sharing group through the actions."""
    from port2port.organisations import actions as org_actions

    admin = org_actions.create_account(acting_user=None, email="bench@p2p.test", is_platform_admin=True)
    kinds = ["port_authority"] * 8 + ["police", "police", "customs", "national_authority"]
    orgs = [org_actions.create_organisation(acting_user=admin, name=f"Organisation {i}", kind=kind)
            for i, kind in enumerate(kinds)]
    authors = []
    for i, org in enumerate(orgs):
        author = org_actions.create_account(acting_user=admin, email=f"author{i}@p2p.test")
        org_actions.add_member(acting_user=admin, organisation=org, user=author, role="analyst")
        authors.append(author)
    analyst = org_actions.create_account(acting_user=admin, email="analyst@p2p.test")
    org_actions.add_member(acting_user=admin, organisation=orgs[1], user=analyst, role="analyst")
    coordinator = org_actions.create_account(acting_user=admin, email="coordinator@p2p.test")
    org_actions.add_member(acting_user=admin, organisation=orgs[0], user=coordinator, role="org_admin")
    group = org_actions.create_sharing_group(acting_user=coordinator, owner=orgs[0], name="Drugs",
                                             members=[orgs[1], orgs[2], orgs[8], orgs[10]])
    return orgs, authors, analyst, group


def markings():
    from port2port.core.sharing import Audience, Status, Tlp

    shared = Status.SHARED
    return [  # (tlp, audience, status, weight)
        (Tlp.GREEN, Audience.NETWORK, shared, 25), (Tlp.AMBER, Audience.NETWORK, shared, 20),
        (Tlp.AMBER, Audience.OWNER, shared, 15), (Tlp.AMBER_STRICT, Audience.GROUP, shared, 12),
        (Tlp.AMBER, Audience.ORGANISATIONS, shared, 10), (Tlp.CLEAR, Audience.PUBLIC, shared, 8),
        (Tlp.RED, Audience.PEOPLE, shared, 5), (Tlp.AMBER, Audience.OWNER, Status.DRAFT, 5),
    ]


def load(n_documents: int, rng: random.Random, writer: Writer, progress):
    """Reports and articles in bulk, their recipients, then the full-text index."""
    from port2port.knowledge import search as article_search
    from port2port.knowledge.models import Article, Theme
    from port2port.reports import search as report_search
    from port2port.reports.models import Report

    orgs, authors, analyst, group = build_network(rng)
    mix = markings()
    weights = [m[3] for m in mix]
    languages, language_weights = list(LANGUAGE_SHARE), list(LANGUAGE_SHARE.values())
    themes = [value for value, _ in Theme.choices]
    start = datetime(2024, 1, 1, tzinfo=UTC)
    indexing = 0.0
    n_reports = n_documents // 2
    for model, count in ((Report, n_reports), (Article, n_documents - n_reports)):
        for offset in range(0, count, BATCH):
            batch = []
            for _ in range(min(BATCH, count - offset)):
                tlp, audience, status, _w = rng.choices(mix, weights)[0]
                at = rng.randrange(N_ORGS)
                language = rng.choices(languages, language_weights)[0]
                common = dict(owner_org=orgs[at], author=authors[at], tlp=tlp, audience=audience, status=status,
                              sharing_group=group if audience == "group" else None, title=writer.title(language))
                moment = start + timedelta(minutes=rng.randrange(2 * 525_600))
                if model is Report:
                    batch.append(Report(**common, category="drug_smuggling", occurred_at=moment,
                                        narrative=writer.text(language, rng.randint(60, 250)),
                                        measures_taken=writer.text(language, rng.randint(0, 40))))
                else:
                    batch.append(Article(**common, language=language, theme=rng.choice(themes),
                                         summary=writer.text(language, rng.randint(15, 40)),
                                         body=writer.text(language, rng.randint(150, 500))))
            rows = model.objects.bulk_create(batch)
            add_recipients(model, rows, orgs, analyst, authors, rng)
            t0 = time.perf_counter()
            (report_search.index_reports if model is Report else article_search.index_articles)(rows)
            indexing += time.perf_counter() - t0
            progress(f"{model.__name__.lower()}s: {offset + len(rows)} / {count}")
    return analyst, indexing


def add_recipients(model, rows, orgs, analyst, authors, rng) -> None:
    """Named organisations and named RED readers; the analyst is one of them now and then."""
    orgs_through, people_through = model.recipient_orgs.through, model.recipient_people.through
    key = f"{model._meta.model_name}_id"
    named_orgs, named_people = [], []
    for row in rows:
        if row.audience == "organisations":
            for org in rng.sample(orgs, 2):
                named_orgs.append(orgs_through(**{key: row.pk, "organisation_id": org.pk}))
        elif row.audience == "people":
            person = analyst if rng.random() < 0.2 else rng.choice(authors)
            named_people.append(people_through(**{key: row.pk, "user_id": person.pk}))
    orgs_through.objects.bulk_create(named_orgs)
    people_through.objects.bulk_create(named_people)


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# --- Reads -----------------------------------------------------------------------------------

CPU: dict[str, list[float]] = {}


def timed_each(fn, arguments, name: str) -> list[float]:
    """Wall time per call; the process's CPU time is kept aside in CPU[name], since on a
    shared machine the wall time also counts the waits for a core (SQLite runs in-process)."""
    fn(arguments[0])  # warm the caches once
    samples, cpu = [], []
    for argument in arguments:
        c0, t0 = time.process_time(), time.perf_counter()
        fn(argument)
        samples.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    CPU[name] = cpu
    return samples


def p(samples: list[float], q: float) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[int(q) - 1] if len(samples) > 1 else samples[0]


def measure(analyst, texts: list[str]) -> dict[str, list[float]]:
    from port2port.knowledge import search as article_search
    from port2port.knowledge.models import Article
    from port2port.organisations.models import viewer_for
    from port2port.reports import search as report_search
    from port2port.reports.models import Report

    viewer = viewer_for(analyst)
    visible_reports, visible_articles = Report.objects.visible_to(viewer), Article.objects.visible_to(viewer)

    def reports(text, queryset=visible_reports):
        return list(report_search.search(queryset.for_list(), text)[:PAGE])

    def articles(text, queryset=visible_articles):
        return list(article_search.search(queryset.for_list(), text)[:PAGE])

    def both(text, r=visible_reports, a=visible_articles):
        reports(text, r)
        articles(text, a)

    def report_count(text):
        return report_search.search(visible_reports, text).count()

    everything_reports, everything_articles = Report.objects.all(), Article.objects.all()
    runs = {
        "search": both,
        "search_unfiltered": lambda t: both(t, everything_reports, everything_articles),
        "reports": reports,
        "reports_unfiltered": lambda t: reports(t, everything_reports),
        "articles": articles,
        "articles_unfiltered": lambda t: articles(t, everything_articles),
        "report_count": report_count,
        "report_count_unfiltered": lambda t: report_search.search(everything_reports, t).count(),
    }
    return {name: timed_each(fn, texts, name) for name, fn in runs.items()}


def hits(analyst, texts: list[str]) -> list[int]:
    """How many visible reports each query finds: the spread from common to rare."""
    from port2port.organisations.models import viewer_for
    from port2port.reports import search as report_search
    from port2port.reports.models import Report

    visible = Report.objects.visible_to(viewer_for(analyst))
    return [report_search.search(visible, text).count() for text in texts]


# --- Run -------------------------------------------------------------------------------------

def run(n_documents: int, n_queries: int, seed: int) -> dict:
    rng = random.Random(seed)

    def progress(message):
        print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    from django.db import connection

    from port2port.knowledge.models import Article
    from port2port.reports.models import Report

    if Report.objects.exists() or Article.objects.exists():
        sys.exit("The database already holds documents; point DATABASE_URL at an empty one.")
    started = time.perf_counter()
    writer = Writer(rng)
    analyst, indexing = load(n_documents, rng, writer, progress)
    analyze()
    progress(f"loaded in {time.perf_counter() - started:.0f} s (indexing {indexing:.0f} s)")
    texts = queries(n_queries, rng, writer)
    connection.close()  # reads start on a fresh connection, as a request's do
    gc.collect()
    samples = measure(analyst, texts)
    found = sorted(hits(analyst, texts))
    load1, load5, _ = os.getloadavg()

    print(f"{n_documents} documents ({n_documents // 2} reports, {n_documents - n_documents // 2} articles), "
          f"database {connection.vendor}, {len(texts)} queries, first page of {PAGE} newest first, "
          f"load average {load1:.1f} / {load5:.1f} on {os.cpu_count()} cores")
    print(f"visible reports found per query: median {statistics.median(found):.0f}, max {found[-1]}, "
          f"none for {sum(1 for n in found if n == 0)} queries; indexing {n_documents / indexing:.0f} documents/s")
    print(f"{'query (ms)':<26} {'ours p50':>9} {'ours p99':>9} {'bare p50':>9} {'bare p99':>9} {'ratio p99':>9} "
          f"{'cpu p50':>8} {'cpu p99':>8}")
    for name, label in (("search", "reports + articles page"), ("reports", "reports page"),
                        ("articles", "articles page"), ("report_count", "reports total count")):
        ours, bare = samples[name], samples[f"{name}_unfiltered"]
        print(f"{label:<26} {p(ours, 50):9.2f} {p(ours, 99):9.2f} {p(bare, 50):9.2f} {p(bare, 99):9.2f} "
              f"{p(ours, 99) / p(bare, 99):9.2f} {p(CPU[name], 50):8.2f} {p(CPU[name], 99):8.2f}")
    return {
        "documents": Report.objects.count() + Article.objects.count(),
        "database": connection.vendor,
        "queries": len(texts),
        "search_p50_ms": round(p(samples["search"], 50), 2),
        "search_p99_ms": round(p(samples["search"], 99), 2),
        "search_unfiltered_p50_ms": round(p(samples["search_unfiltered"], 50), 2),
        "search_unfiltered_p99_ms": round(p(samples["search_unfiltered"], 99), 2),
        "search_cpu_p99_ms": round(p(CPU["search"], 99), 2),
        "reports_p99_ms": round(p(samples["reports"], 99), 2),
        "articles_p99_ms": round(p(samples["articles"], 99), 2),
        "report_count_p99_ms": round(p(samples["report_count"], 99), 2),
        "index_documents_per_s": round(n_documents / indexing),
        "load_average": round(load1, 2),
        "seconds": round(time.perf_counter() - started),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if args.queries < 2:
        parser.error("--queries: at least 2")
    with tempfile.TemporaryDirectory(prefix="p2p-bench-") as data_dir:
        setup_django(data_dir)
        print(json.dumps(run(args.documents, args.queries, args.seed)))


if __name__ == "__main__":
    main()
