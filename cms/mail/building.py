"""Building a message from ``templates/mail/<name>.<language>.txt`` and ``.html``.

The text template's first line is ``Subject: ...``, then a blank line, then the body. Every message
has a text part and an HTML part; without an ``.html`` template of its own, the HTML part is the text
set in ``templates/mail/layout.html``, paragraph by paragraph, with its links made clickable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask import current_app, render_template, request
from jinja2 import TemplateNotFound
from markupsafe import Markup, escape

#: Languages every mail template exists in.
LANGUAGES = ("en", "de")


@dataclass(frozen=True)
class BuiltMessage:
    subject: str
    text: str
    html: str


def mail_language(language: str | None) -> str:
    """The supported language closest to a BCP 47 tag: ``de-AT`` -> ``de``; unknown -> the default."""
    primary = (language or "").split("-")[0].strip().lower()
    if primary in LANGUAGES:
        return primary
    default = str(current_app.config.get("DEFAULT_LANGUAGE", "en"))
    return default if default in LANGUAGES else "en"


def preferred_language() -> str | None:
    """The supported language the request's ``Accept-Language`` ranks highest, ``de-AT`` counting as
    ``de``; None without a match. (Werkzeug's ``best_match`` would prefer an exact ``en;q=0.5``.)"""
    for tag, _quality in request.accept_languages:
        primary = tag.split("-")[0].strip().lower()
        if primary in LANGUAGES:
            return primary
    return None


def build_message(template: str, language: str | None, context: dict[str, Any]) -> BuiltMessage:
    lang = mail_language(language)
    values = {"site_url": current_app.config["PUBLIC_URL"], "language": lang, **context}
    rendered = render_template(f"mail/{template}.{lang}.txt", **values)
    first_line, _, body = rendered.lstrip().partition("\n")
    if not first_line.startswith("Subject:"):
        raise ValueError(f"mail/{template}.{lang}.txt must start with a 'Subject:' line")
    # Collapsing whitespace keeps a value from the context from adding header lines.
    subject = " ".join(first_line.removeprefix("Subject:").split())
    text = body.strip() + "\n"
    try:
        html = render_template(f"mail/{template}.{lang}.html", subject=subject, **values)
    except TemplateNotFound:
        html = render_template(
            "mail/layout.html", subject=subject, paragraphs=html_paragraphs(text), **values
        )
    return BuiltMessage(subject=subject, text=text, html=html)


_URL = re.compile(r"(https?://[^\s<>\"]+)")


def html_paragraphs(text: str) -> list[Markup]:
    """The text's paragraphs as escaped HTML, line breaks kept and URLs turned into links."""
    paragraphs = []
    for block in re.split(r"\n\s*\n", text.strip()):
        parts = []
        for index, piece in enumerate(_URL.split(block)):
            if index % 2:
                parts.append(Markup('<a href="{0}">{0}</a>').format(piece))
            else:
                parts.append(escape(piece).replace("\n", Markup("<br>\n")))
        paragraphs.append(Markup("").join(parts))
    return paragraphs
