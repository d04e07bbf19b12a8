"""The HTML a comment may use: exactly the tags and attributes the comment form lists, nothing else.

A tag outside the list is escaped, so the reader sees what was typed instead of losing it. nh3 then
parses the result once more as the final guard: it drops attributes outside the list, unsafe URLs, and
repairs nesting. Line breaks become ``<br>`` and blank lines paragraphs, as in the comment form.
"""

from __future__ import annotations

import html
import re
from typing import NamedTuple
from urllib.parse import urlsplit

import nh3

#: Tag -> the attributes it may carry: the seed page's list, word for word.
ALLOWED: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "title"}),
    "abbr": frozenset({"title"}),
    "acronym": frozenset({"title"}),
    "b": frozenset(),
    "blockquote": frozenset({"cite"}),
    "cite": frozenset(),
    "code": frozenset(),
    "del": frozenset({"datetime"}),
    "em": frozenset(),
    "i": frozenset(),
    "q": frozenset({"cite"}),
    "s": frozenset(),
    "strike": frozenset(),
    "strong": frozenset(),
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
URL_ATTRIBUTES = frozenset({"href", "cite"})
LINK_REL = "nofollow ugc noopener noreferrer"
#: Block-level among the allowed tags: a paragraph ends before it opens or closes.
_BLOCKS = frozenset({"blockquote"})
#: Tags the sanitiser itself writes for line breaks; typed by a commenter they are escaped like any other.
_LAYOUT = frozenset({"p", "br"})

# A start or end tag as an HTML tokenizer reads it: a name, then attributes, unquoted or quoted.
_TAG = re.compile(
    r"""<(?P<end>/?)(?P<name>[A-Za-z][A-Za-z0-9]*)
        (?P<attrs>(?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)
        \s*/?>""",
    re.VERBOSE,
)
_BLANK_LINE = re.compile(r"\n[ \t]*\n\s*")
# Characters browsers drop from URLs before reading the scheme ("java\tscript:" is "javascript:").
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]")


def sanitize_comment(source: str) -> str:
    """The HTML to publish for a comment body typed as ``source``."""
    text = source.replace("\x00", "").replace("\ufeff", "").replace("\r\n", "\n").replace("\r", "\n")
    return _final_guard(_Layout().build(_tokens(text.strip())))


class _Token(NamedTuple):
    text: str
    #: The lower-cased name of an allowed tag; None for text.
    tag: str | None = None


def _tokens(text: str) -> list[_Token]:
    """Text (with every ``<`` escaped) and allowed tags: no other ``<`` reaches the parser."""
    tokens: list[_Token] = []
    position = 0
    while (start := text.find("<", position)) != -1:
        if start > position:
            tokens.append(_Token(text[position:start]))
        match = _TAG.match(text, start)
        if match is None:
            tokens.append(_Token("&lt;"))
            position = start + 1
            continue
        name = match.group("name").lower()
        # An end tag has no attributes; one that pretends to is not a tag we know.
        allowed = name in ALLOWED and not (match.group("end") and match.group("attrs").strip())
        tokens.append(
            _Token(match.group(0), name) if allowed else _Token(html.escape(match.group(0), quote=False))
        )
        position = match.end()
    if position < len(text):
        tokens.append(_Token(text[position:]))
    return tokens


class _Layout:
    """Wraps text in paragraphs: a blank line ends one, a single newline inside one is a ``<br>``."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.open = False
        self.line_break = False

    def build(self, tokens: list[_Token]) -> str:
        for token in tokens:
            if token.tag in _BLOCKS:
                self._close()
                self.parts.append(token.text)
            elif token.tag is not None:
                self._add(token.text)
            else:
                self._text(token.text)
        self._close()
        return "".join(self.parts)

    def _text(self, text: str) -> None:
        for number, chunk in enumerate(_BLANK_LINE.split(text)):
            if number:
                self._close()
            for index, line in enumerate(chunk.split("\n")):
                # A newline counts only between two things in one paragraph, never at its edges.
                if index and self.open:
                    self.line_break = True
                if line.strip() or (self.open and line):
                    self._add(line)

    def _add(self, markup: str) -> None:
        if not self.open:
            self.parts.append("<p>")
            self.open = True
        if self.line_break:
            self.parts.append("<br>\n")
            self.line_break = False
        self.parts.append(markup)

    def _close(self) -> None:
        if self.open:
            self.parts.append("</p>")
        self.open = self.line_break = False


def safe_url(value: str) -> bool:
    """An absolute http(s) URL with a host, or a mailto: address. Relative URLs are refused too."""
    cleaned = _URL_NOISE.sub("", value)
    try:
        parts = urlsplit(cleaned)
    except ValueError:
        return False
    scheme = parts.scheme.lower()
    if scheme not in URL_SCHEMES:
        return False
    return scheme == "mailto" or bool(parts.hostname)


def _attribute_filter(element: str, attribute: str, value: str) -> str | None:
    if attribute in URL_ATTRIBUTES and not safe_url(value):
        return None
    return value


def _final_guard(markup: str) -> str:
    cleaned = nh3.clean(
        markup,
        tags=set(ALLOWED) | _LAYOUT,
        clean_content_tags=set(),
        # "*" must be named: left out, nh3 allows its own generic attributes (lang, title) on every tag.
        attributes={"*": set(), **{tag: set(attributes) for tag, attributes in ALLOWED.items()}},
        attribute_filter=_attribute_filter,
        link_rel=LINK_REL,
        url_schemes=set(URL_SCHEMES),
        url_relative="deny",
        strip_comments=True,
    )
    return cleaned.replace("<p></p>", "").strip()
