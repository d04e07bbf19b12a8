from cms.content.rendering import derived_excerpt, html_to_text, markdown_to_html, reading_time


def test_markdown_becomes_html() -> None:
    html = markdown_to_html("# Title\n\nSome *emphasis* and a [link](https://example.org).")
    assert "<h1>Title</h1>" in html
    assert "<em>emphasis</em>" in html
    assert 'href="https://example.org"' in html


def test_scripts_event_handlers_and_javascript_urls_are_removed() -> None:
    html = markdown_to_html(
        "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1))\n\n"
        '<a href="JaVaScRiPt:alert(1)">y</a>'
    )
    assert "<script" not in html
    assert "onerror" not in html
    assert 'href="javascript' not in html.lower()
    assert "<a rel" in html  # the link text stays, its dangerous target does not


def test_reading_time_counts_whole_minutes() -> None:
    assert reading_time("") == 0
    assert reading_time("word " * 10) == 1
    assert reading_time("word " * 461) == 3


def test_plain_text_and_derived_excerpt() -> None:
    text = html_to_text("<p>Hello &amp; <b>welcome</b></p>\n<p>again</p>")
    assert text == "Hello & welcome again"
    long = "word " * 200
    excerpt = derived_excerpt(long.strip(), limit=50)
    assert excerpt.endswith("…") and len(excerpt) <= 51


def test_plain_text_keeps_inline_markup_inside_its_words_and_sentences() -> None:
    html = markdown_to_html("Hi *there*, read **this**.\n\n- one\n- two")
    assert html_to_text(html) == "Hi there, read this. one two"
    assert html_to_text("<p>Chip<em>s</em></p><p>end</p>") == "Chips end"
