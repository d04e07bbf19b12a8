"""The allowed HTML of a comment: exactly the seed page's list; everything else is shown as text."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cms.comments.sanitize import ALLOWED, LINK_REL, sanitize_comment

#: The form's own promise, copied from the seed page.
SEED_LIST = (
    '<a href="" title=""> <abbr title=""> <acronym title=""> <b> <blockquote cite=""> <cite> <code> '
    '<del datetime=""> <em> <i> <q cite=""> <s> <strike> <strong>'
)
LAYOUT = {"p": set(), "br": set()}


class Elements(HTMLParser):
    """Every element and attribute a browser would build from the output."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.comments: list[str] = []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)

    def handle_decl(self, decl: str) -> None:
        self.comments.append(decl)

    def unknown_decl(self, data: str) -> None:
        self.comments.append(data)

    def handle_pi(self, data: str) -> None:
        self.comments.append(data)


def assert_only_allowed_markup(markup: str) -> None:
    parsed = Elements(markup)
    assert parsed.comments == []
    for tag, attrs in parsed.elements:
        allowed = ALLOWED.get(tag, LAYOUT.get(tag))
        assert allowed is not None, f"<{tag}> survived in {markup!r}"
        extra = set(attrs) - set(allowed) - ({"rel"} if tag == "a" else set())
        assert not extra, f"<{tag} {extra}> survived in {markup!r}"
        if tag == "a":
            assert attrs["rel"] == LINK_REL
        for name in ("href", "cite"):
            if name in attrs:
                value = (attrs[name] or "").strip().lower()
                assert value.startswith(("http://", "https://", "mailto:")), f"{name}={value!r} survived"


def shown_text(markup: str) -> str:
    return "".join(Elements(markup).text)


def test_the_allowed_list_is_the_one_the_seed_page_promises() -> None:
    promised = {}
    for item in SEED_LIST.split("> <"):
        name, *attributes = item.strip("<>").split()
        promised[name] = {attribute.split("=")[0] for attribute in attributes}
    assert promised == {tag: set(attributes) for tag, attributes in ALLOWED.items()}


@pytest.mark.parametrize("tag", sorted(ALLOWED))
def test_every_allowed_tag_is_kept(tag: str) -> None:
    attributes = " ".join(f'{name}="https://example.org/x"' for name in sorted(ALLOWED[tag]))
    html = sanitize_comment(f"<{tag} {attributes}>kept</{tag}>")

    parsed = Elements(html)
    assert (tag, {**dict.fromkeys(ALLOWED[tag], "https://example.org/x"), **_rel(tag)}) in parsed.elements
    assert shown_text(html) == "kept"


def _rel(tag: str) -> dict[str, str]:
    return {"rel": LINK_REL} if tag == "a" else {}


def test_links_get_the_nofollow_ugc_rel() -> None:
    assert sanitize_comment('<a href="https://example.org" rel="me">site</a>') == (
        f'<p><a href="https://example.org" rel="{LINK_REL}">site</a></p>'
    )


@pytest.mark.parametrize(
    ("source", "html"),
    [
        ("one line", "<p>one line</p>"),
        ("first\nsecond", "<p>first<br>\nsecond</p>"),
        ("para one\n\npara two", "<p>para one</p><p>para two</p>"),
        ("  \n\nspaced\n \n\n\nout\n\n", "<p>spaced</p><p>out</p>"),
        ("a\r\nb\r\n\r\nc", "<p>a<br>\nb</p><p>c</p>"),
        ("<b>x</b>\n<i>y</i>", "<p><b>x</b><br>\n<i>y</i></p>"),
        (
            "intro\n<blockquote>quoted</blockquote>\nreply",
            "<p>intro</p><blockquote><p>quoted</p></blockquote><p>reply</p>",
        ),
        ("<b>bold\n\nstill bold</b>", "<p><b>bold</b></p><p><b>still bold</b></p>"),
    ],
)  # fmt: skip
def test_blank_lines_make_paragraphs_and_single_newlines_breaks(source: str, html: str) -> None:
    assert sanitize_comment(source) == html


def test_nul_and_byte_order_marks_are_stripped_first() -> None:
    assert sanitize_comment("\ufeffja\x00va<b\x00>x</b>") == "<p>java<b>x</b></p>"
    assert "javascript" not in sanitize_comment('<a href="java\x00script:alert(1)">x</a>')


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
        "<img src=x onerror=alert(1)>",
        "<iframe src=javascript:alert(1)></iframe>",
        "<style>body{display:none}</style>",
        "<svg onload=alert(1)><circle r=1 /></svg>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "<math href=javascript:alert(1)>x</math>",
        "<form action=javascript:alert(1)><button>go</button></form>",
        "<meta http-equiv=refresh content='0;url=javascript:alert(1)'>",
        "<object data=javascript:alert(1)></object>",
        '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
        "<textarea><script>alert(1)</script></textarea>",
        "<plaintext>x",
        "<!--<script>alert(1)</script>-->",
        "<![CDATA[<script>alert(1)</script>]]>",
        "<!DOCTYPE html><html><body onload=alert(1)>",
        "<p onclick=alert(1)>paragraph</p><br>",
        '<div style="background:url(javascript:alert(1))">x</div>',
    ],
)
def test_disallowed_tags_are_escaped_so_the_reader_sees_them(source: str) -> None:
    html = sanitize_comment(source)

    assert_only_allowed_markup(html)
    assert shown_text(html).replace("\n", "") == source.replace("\n", "")


@pytest.mark.parametrize(
    "source",
    [
        '<a href="javascript:alert(1)">x</a>',
        '<a href="JaVaScRiPt:alert(1)">x</a>',
        '<a href=" javascript:alert(1)">x</a>',
        '<a href="java\tscript:alert(1)">x</a>',
        '<a href="java&#x09;script:alert(1)">x</a>',
        '<a href="&#106;avascript:alert(1)">x</a>',
        '<a href="&#x6A;&#x61;&#x76;&#x61;script:alert(1)">x</a>',
        '<a href="&#0000106&#0000097vascript:alert(1)">x</a>',
        '<a href="javascript&colon;alert(1)">x</a>',
        '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
        '<a href="vbscript:msgbox(1)">x</a>',
        '<a href="//evil.example">x</a>',
        '<a href="/relative">x</a>',
        '<q cite="javascript:alert(1)">x</q>',
        '<q cite="&#106;avascript:alert(1)">x</q>',
        '<blockquote cite="data:text/html,<script>alert(1)</script>">x</blockquote>',
        '<blockquote cite=" JAVASCRIPT:alert(1)">x</blockquote>',
    ],
)
def test_urls_in_href_and_cite_must_be_http_https_or_mailto(source: str) -> None:
    html = sanitize_comment(source)

    assert_only_allowed_markup(html)
    assert "href=" not in html and "cite=" not in html
    assert shown_text(html) == "x"


@pytest.mark.parametrize(
    "source",
    [
        '<a href="https://example.org" onclick="alert(1)" style="color:red" id="x">x</a>',
        "<b onmouseover=alert(1)>x</b>",
        "<b/onmouseover=alert(1)>x</b>",
        '<abbr title="t" onfocus=alert(1) autofocus tabindex=1>x</abbr>',
        '<del datetime="2024-01-01" class="x" data-x="1">x</del>',
        "<a href='https://example.org'title='t'onclick=alert(1)>x</a>",
        "<<b>>x</b>",
        "<b <i>x</i>",
        "<b>x</b foo=bar>",
        '<a href="https://e.org" title="<script>alert(1)</script>">x</a>',
        "<a title='\"><script>alert(1)</script>'>x</a>",
        "<b><i><a href=https://e.org><strong>x</b></i>",
        "<blockquote><blockquote><blockquote>x",
        "<q cite=https://e.org/?a=1&b=2>x</q>",
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "&#60;script&#62;alert(1)&#60;/script&#62;",
        "<scr<script>ipt>alert(1)</script>",
        "<svg><a xlink:href=javascript:alert(1)><text>x</text></a></svg>",
        "<plaintext><b>x</b>",
        '<b title="x" lang="de" dir="rtl">generic attributes</b>',
        '<a href="https://example.org"\n onclick=alert(1)>x</a>',
    ],
)
def test_malformed_nested_and_disguised_markup_leaves_nothing_live(source: str) -> None:
    assert_only_allowed_markup(sanitize_comment(source))


def test_entities_stay_text() -> None:
    html = sanitize_comment("&lt;script&gt; &amp; &copy; a & b")

    assert "<script" not in html
    assert shown_text(html) == "<script> & © a & b"


_PIECES = st.sampled_from(
    [
        "<", ">", "</", "/>", "=", '"', "'", " ", "\n", "\n\n", "&", "#", ";", "x", "\x00", "\ufeff",
        *ALLOWED, "script", "img", "svg", "math", "style", "p", "br", "iframe", "!--", "-->", "![CDATA[",
        "href", "cite", "title", "onerror", "onclick", "style", "src", "xlink:href", "datetime",
        "javascript:", "java\tscript:", "&#106;", "&#x6A;", "data:", "http://e.org", "mailto:a@b.c",
        "alert(1)",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES | st.text(max_size=3), max_size=40).map("".join))
def test_no_disallowed_tag_or_attribute_ever_survives(source: str) -> None:
    assert_only_allowed_markup(sanitize_comment(source))


@settings(max_examples=200, deadline=None)
@given(
    tag=st.sampled_from([*ALLOWED, "script", "img", "svg", "iframe", "div", "span", "p"]),
    attribute=st.sampled_from(["href", "cite", "title", "onclick", "style", "src", "datetime", "rel"]),
    value=st.text(max_size=30),
    quote=st.sampled_from(['"', "'", ""]),
)
def test_no_attribute_value_smuggles_markup_or_a_bad_url(
    tag: str, attribute: str, value: str, quote: str
) -> None:
    assert_only_allowed_markup(sanitize_comment(f"<{tag} {attribute}={quote}{value}{quote}>text</{tag}>"))
