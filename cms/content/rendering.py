"""Markdown to safe HTML, done once when an article is saved, never on read."""

from __future__ import annotations

import math
import re
from html import unescape

import nh3
from markdown_it import MarkdownIt

WORDS_PER_MINUTE = 230

_markdown = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False}).enable(
    ["table", "strikethrough"]
)

_ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "del", "details", "div", "em",
    "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li",
    "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "summary", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height", "loading"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan", "scope"},
    "ol": {"start"},
    "code": {"class"},
}
_URL_SCHEMES = {"http", "https", "mailto"}
# Block-level tags separate words; inline ones (``<strong>``, ``<a>``) sit inside a word's run of text.
_BLOCK_TAG = re.compile(
    r"</?(?:p|div|br|hr|li|ul|ol|h[1-6]|blockquote|pre|table|tr|td|th|figure|figcaption|details|summary)\b[^>]*>",
    re.IGNORECASE,
)
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def markdown_to_html(source: str) -> str:
    """Render Markdown (raw HTML allowed) and keep only markup that cannot run script."""
    return nh3.clean(
        _markdown.render(source),
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def html_to_text(html: str) -> str:
    return _SPACE.sub(" ", unescape(_TAG.sub("", _BLOCK_TAG.sub(" ", html)))).strip()


def reading_time(text: str) -> int:
    """Whole minutes at an adult's reading pace; at least one for any text at all."""
    words = len(text.split())
    return math.ceil(words / WORDS_PER_MINUTE) if words else 0


def derived_excerpt(text: str, limit: int = 300) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(" ,.;:") + "…"
