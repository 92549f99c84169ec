"""Hostile Markdown in articles, comments and proposals never reaches a page as markup."""

from html.parser import HTMLParser

import pytest

from port2port.core.sharing import Tlp
from port2port.knowledge import actions
from port2port.knowledge.markdown import render

from .conftest import write

VECTORS = [
    "<script>alert('xss')</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<svg onload="alert(1)"><circle/></svg>',
    "<style>body { display: none }</style>",
    '<a href="javascript:alert(1)">x</a>',
    "![tracker](https://evil.example/pixel.png)",
    '<iframe src="https://evil.example"></iframe>',
    "[x](vbscript:msgbox)",
    '<div style="background:url(javascript:alert(1))">x</div>',
]
class Elements(HTMLParser):
    """Every element of a page with its attributes, as a browser would see them."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def elements(body: bytes):
    parser = Elements()
    parser.feed(body.decode())
    return parser.found


ALLOWED = {"p", "a", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "br", "hr"}


@pytest.mark.parametrize("vector", VECTORS)
def test_render_keeps_no_markup_from_the_source(vector):
    for tag, attrs in elements(str(render(vector)).encode()):
        assert tag in ALLOWED, (vector, tag)
        assert set(attrs) <= {"href", "title", "rel"}, (vector, attrs)
        assert not (attrs.get("href") or "").lower().startswith(("javascript:", "data:", "vbscript:"))


def test_links_never_carry_the_referrer_and_only_web_schemes_pass():
    html = str(render("[ok](https://example.be/x) [mail](mailto:a@b.be) [ftp](ftp://x.be/y)"))
    assert html.count('rel="noopener noreferrer nofollow"') == html.count("<a ") == 3
    assert 'href="ftp:' not in html


def _page_bodies(world, client_for, text):
    article = write(world, tlp=Tlp.GREEN, title="XSS " + text[:40], summary=text[:900], body=text)
    actions.add_comment(article, acting_user=world.analyst_b, body=text)
    proposal = actions.propose_edit(article, acting_user=world.analyst_b, title=article.title, body=text + "\nmore",
                                    note=text[:250])
    actions.revise_article(article, acting_user=world.analyst_a, body=text + "\nrevised")
    client = client_for(world.officer_a)
    urls = [f"/knowledge/{article.pk}/", f"/knowledge/{article.pk}/history/", "/knowledge/",
            f"/knowledge/{article.pk}/compare/?from=1&to=2", f"/knowledge/{article.pk}/proposals/{proposal.pk}/"]
    return [(url, client.get(url).content) for url in urls]


@pytest.mark.parametrize("vector", VECTORS)
def test_no_page_runs_hostile_text(world, client_for, vector):
    for url, body in _page_bodies(world, client_for, vector):
        for tag, attrs in elements(body):
            assert tag not in {"svg", "iframe", "img", "style", "object"}, (url, tag)
            if tag == "script":
                assert attrs.get("src", "").startswith("/static/"), (url, attrs)
            assert not [name for name in attrs if name.startswith("on")], (url, tag, attrs)
            assert "style" not in attrs, (url, tag, attrs)
            for name in ("href", "src", "action"):
                value = (attrs.get(name) or "").strip().lower()
                assert not value.startswith(("javascript:", "data:", "vbscript:")), (url, tag, attrs)


def test_the_api_serves_sanitised_html_beside_the_source(world, client_for):
    article = write(world, tlp=Tlp.GREEN, body="<script>alert(1)</script> **bold**")
    data = client_for(world.analyst_b).get(f"/api/v1/articles/{article.pk}").json()
    assert data["body"] == "<script>alert(1)</script> **bold**"
    assert "<script" not in data["body_html"] and "<strong>bold</strong>" in data["body_html"]
