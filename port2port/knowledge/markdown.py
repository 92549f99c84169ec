"""Article and comment text: Markdown rendered to HTML, then cleaned with an allow-list.

Raw HTML in the source is not rendered at all (markdown-it's html option is off), and the
result passes through nh3 anyway, so a bug in one layer is not a hole. Links may only point to
http, https and mailto addresses and never carry the referrer; images are not kept, since a
remote image would tell its host who read the article and when.
"""

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml

ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "del", "s", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}
# Removed with their content: what these hold is never text meant for the reader.
DROPPED_WITH_CONTENT = {"script", "style", "svg", "math", "iframe", "object", "template", "noscript"}

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    ["table", "strikethrough"]
)


def _image_as_text(renderer, tokens, idx, options, env):
    # The picture's description stays readable; the remote address is not fetched.
    return escapeHtml(renderer.renderInlineAsText(tokens[idx].children or [], options, env))


_md.add_render_rule("image", _image_as_text)


def render(text: str) -> SafeString:
    """Markdown to HTML that is safe to put in a page as it is."""
    html = _md.render(text or "")
    return mark_safe(clean(html))


def clean(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
