"""Demo content so that a first run has something to show: a few articles in German and English,
their authors and tags, and a demo admin account."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select

from cms.auth.models import Role, User
from cms.auth.passwords import hash_password
from cms.content.models import Article, Author, Status
from cms.content.service import create_article, create_author
from cms.db import utcnow
from cms.extensions import db

DEMO_ADMIN_FILE = "demo-admin.txt"


@dataclass(frozen=True)
class DemoArticle:
    title: str
    language: str
    author: str
    tags: tuple[str, ...]
    excerpt: str
    markdown: str
    hours_ago: int
    featured: bool = False
    image: tuple[str, str, str] | None = None


AUTHORS = {
    "Lena Hoffmann": "Schreibt über Halbleiter, Rechenzentren und die Geopolitik der Chips.",
    "Sam Okafor": "Covers open-source software, developer tools and the people who build them.",
    "Mira Castell": "Reports on science and climate, and on how newsrooms use data.",
}

ARTICLES = (
    DemoArticle(
        title="Start-up legt Grafikprozessor-Vorrat für anderthalb Jahre an",
        language="de",
        author="Lena Hoffmann",
        tags=("KI", "Hardware", "China"),
        excerpt="Ein junges KI-Unternehmen hat vor neuen Ausfuhrregeln so viele Beschleuniger gekauft, "
        "dass es nach eigener Aussage bis weit ins übernächste Jahr damit auskommt.",
        markdown="""Ein KI-Start-up aus Peking hat nach Angaben seines Gründers rechtzeitig vorgesorgt:
Bevor neue Ausfuhrbeschränkungen griffen, kaufte das Unternehmen genug Rechenbeschleuniger,
um sein Wachstum rund 18 Monate lang abzusichern.

> „Wir haben eingekauft, solange es noch ging“, sagte der Gründer in einem Interview.

## Was ein Vorrat an Rechenzeit bedeutet

Wie lange ein solcher Vorrat reicht, hängt davon ab, wie schnell die Modelle wachsen. Größere
Modelle brauchen mehr Beschleuniger für das Training **und** noch mehr für den Betrieb. Die Angabe
„18 Monate“ ist deshalb eher ein Fahrplan als eine feste Größe.

- Training: wenige, sehr große Läufe
- Betrieb: viele kleine Anfragen, rund um die Uhr
- Reserve: für Fehlschläge und Wiederholungen

Ob heimische Hersteller in dieser Zeit gleichwertige Chips liefern können, gilt in der Branche als offen.
""",
        hours_ago=3,
        featured=True,
        image=(
            "https://images.example.org/demo/server-racks.jpg",
            "Reihen von Servergehäusen in einem Rechenzentrum",
            "Beschleuniger-Server in einem Rechenzentrum (Symbolbild)",
        ),
    ),
    DemoArticle(
        title="Headless publishing, explained in five minutes",
        language="en",
        author="Sam Okafor",
        tags=("Publishing", "Open Source"),
        excerpt="Why more newsrooms keep their editing tools and their reader-facing site apart, "
        "and what they gain from it.",
        markdown="""A *headless* CMS stores and manages content but leaves the presentation to someone else:
a static site generator, a Next.js app, a mobile client or all three at once.

## What changes for editors

Very little. Drafts, schedules, revisions and previews still live in one place. What changes is
where the words end up: the same article can feed the website, the newsletter and the app.

## What changes for developers

Content arrives as JSON over a documented API:

```bash
curl "http://127.0.0.1:5000/api/v1/articles?include=authors,tags&limit=5"
```

Pages are cached at the edge, and webhooks tell the build when something changed.
""",
        hours_ago=20,
    ),
    DemoArticle(
        title="Warum Redaktionen wieder eigene Kommentarbereiche betreiben",
        language="de",
        author="Mira Castell",
        tags=("Publishing", "Community"),
        excerpt="Nach Jahren auf fremden Plattformen holen Verlage die Debatte zurück auf die eigene Seite.",
        markdown="""Lange galt der Kommentarbereich als Baustelle, die man lieber sozialen Netzwerken
überließ. Inzwischen kehrt sich der Trend um: Wer die Diskussion auf der eigenen Seite führt, kennt seine
Leserinnen und Leser besser.

Drei Dinge machen den Unterschied:

1. **Moderation**, die schnell und nachvollziehbar ist
2. Klare Regeln, welche Formatierung erlaubt ist
3. Antworten der Redaktion, sichtbar gekennzeichnet

*Habt ihr Erfahrungen mit eigenen Foren gemacht? Schreibt es in die Kommentare.*
""",
        hours_ago=30,
    ),
    DemoArticle(
        title="Measuring a heatwave: how weather data reaches the front page",
        language="en",
        author="Mira Castell",
        tags=("Science", "Data"),
        excerpt="From a rooftop sensor to a chart readers trust: the quiet work behind a weather story.",
        markdown="""When temperatures climb, readers want numbers they can trust. Behind each chart sits a
chain of decisions: which stations to use, how to treat gaps, and what counts as *unusual*.

| Step        | Question                                   |
|-------------|--------------------------------------------|
| Collect     | Which stations, and how often?             |
| Clean       | What happens to missing hours?             |
| Compare     | Against which baseline period?             |

Good data desks publish their method next to the story, so anyone can check it.
""",
        hours_ago=52,
    ),
    DemoArticle(
        title="Open-Source-Werkzeuge für kleine Redaktionen",
        language="de",
        author="Sam Okafor",
        tags=("Open Source", "Publishing"),
        excerpt="Eine Auswahl freier Software, mit der auch kleine Teams professionell veröffentlichen.",
        markdown="""Nicht jede Redaktion hat ein eigenes Entwicklerteam. Zum Glück gibt es freie Werkzeuge,
die den Alltag erleichtern:

- ein Headless-CMS für Artikel, Autorinnen und Schlagworte
- ein statischer Seitengenerator für schnelle, sichere Seiten
- ein Newsletter-Dienst, der Webhooks versteht

Wichtig ist weniger das einzelne Werkzeug als die Schnittstelle dazwischen: offen dokumentiert,
versioniert und mit sinnvollen Fehlermeldungen.
""",
        hours_ago=75,
    ),
    DemoArticle(
        title="Coming up: our redesigned newsletter",
        language="en",
        author="Sam Okafor",
        tags=("Publishing",),
        excerpt="A scheduled article: it appears in the API by itself when its time comes.",
        markdown="This article is **scheduled**. It stays hidden until its publication time, then goes "
        "live without anyone pressing a button.",
        hours_ago=-24,
    ),
)


def load_demo_content() -> int:
    """Create the demo authors, tags and articles unless any article exists; return how many."""
    if db.session.scalar(select(func.count()).select_from(Article)):
        return 0
    authors = {
        name: db.session.scalar(select(Author).where(Author.name == name))
        or create_author(name=name, bio=bio)
        for name, bio in AUTHORS.items()
    }
    now = utcnow()
    for item in ARTICLES:
        image = dict(
            zip(
                ("feature_image_url", "feature_image_alt", "feature_image_caption"),
                item.image or (),
                strict=False,
            )
        )
        create_article(
            title=item.title,
            markdown=item.markdown,
            excerpt=item.excerpt,
            language=item.language,
            authors=[authors[item.author]],
            tags=item.tags,
            featured=item.featured,
            status=Status.PUBLISHED,
            published_at=now - timedelta(hours=item.hours_ago),
            **image,
        )
    return len(ARTICLES)


def ensure_demo_admin() -> str | None:
    """Create an admin when there is no user at all; return its login line, also kept in instance/."""
    if db.session.scalar(select(func.count()).select_from(User)):
        return None
    password = secrets.token_urlsafe(12)
    admin = User(
        email="admin@example.org",
        username="admin",
        password_hash=hash_password(password),
        role=Role.ADMIN,
        email_confirmed_at=utcnow(),
    )
    db.session.add(admin)
    db.session.flush()
    create_author(name="Demo Admin", slug="demo-admin", user_id=admin.id)
    line = f"Demo admin: username 'admin' (admin@example.org), password '{password}'"
    path = Path(current_app.instance_path) / DEMO_ADMIN_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(line + "\n")
    path.chmod(0o600)
    return line
