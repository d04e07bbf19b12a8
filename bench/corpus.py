"""Deterministic fake newsroom content: authors, tags and ~4 KB Markdown articles in German and English.

Markdown, HTML and plain text are written side by side from the same blocks, so no renderer runs per
article (rendering 100,000 bodies would take minutes); the HTML uses the markup the CMS's sanitiser
keeps, and the plain text equals what ``cms.content.rendering.html_to_text`` makes of it (the smoke
test checks both).
Everything comes from ``random.Random`` seeded per batch: the same seed gives the same data set.
"""

from __future__ import annotations

import itertools
import math
import random
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from bench import words
from cms.content.rendering import derived_excerpt, reading_time

#: Bump whenever the generated rows change: cached data sets of an older version are rebuilt.
GENERATOR_VERSION = 3
AUTHORS = 200
TAGS = 500
BATCH = 2000
SEED = 20261129
#: Newest article's publication time: fixed, so runs compare (and every article is in the past).
NEWEST = datetime(2026, 11, 1, tzinfo=UTC)
OLDEST = datetime(2012, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Vocabulary:
    words: list[str]
    cum_weights: list[float]


def _zipf(items: list[str], exponent: float = 1.0) -> Vocabulary:
    weights = itertools.accumulate(1.0 / (rank + 1) ** exponent for rank in range(len(items)))
    return Vocabulary(items, list(weights))


def _german_words() -> list[str]:
    compounds = [h + t for h in words.DE_COMPOUND_HEADS for t in words.DE_COMPOUND_TAILS]
    return words.DE_WORDS + compounds


VOCABULARY = {"en": _zipf(words.EN_WORDS), "de": _zipf(_german_words())}

#: Proper names (places, people, clubs, firms) made of syllables: what readers mostly search for. A
#: few are in the news all the time, most turn up in a handful of articles (Zipf again), so a query
#: matches from thousands of articles down to a few, as on a real site.
NAMES = 20_000
_ONSETS = [
    "b",
    "br",
    "d",
    "dr",
    "f",
    "g",
    "gr",
    "h",
    "k",
    "kl",
    "l",
    "m",
    "n",
    "p",
    "pr",
    "r",
    "s",
    "st",
    "t",
    "tr",
    "v",
    "w",
    "z",
]
_VOWELS = ["a", "e", "i", "o", "u", "au", "ei"]
_CODAS = ["", "n", "r", "l", "s", "nd", "rt", "ck"]


def _names() -> list[str]:
    rng = random.Random(f"{SEED}-names")
    seen: dict[str, None] = {}
    while len(seen) < NAMES:
        syllables = rng.randint(2, 3)
        name = "".join(
            rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS) for _ in range(syllables)
        )
        if len(name) >= 5:
            seen.setdefault(name.capitalize(), None)
    return list(seen)


TOPICS = _zipf(_names())


def search_terms() -> list[str]:
    """Search queries over the whole range: names from the 3rd most frequent to the 3,000th, and two
    names together."""
    names = TOPICS.words
    return [names[2], names[9], names[29], names[99], names[299], names[999], names[2999],
            f"{names[9]} {names[29]}", f"{names[4]} {names[199]}", names[49].lower()]  # fmt: skip


_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_NON_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    return _NON_SLUG.sub("-", text.lower().translate(_UMLAUTS)).strip("-")


def author_rows() -> list[dict[str, Any]]:
    rng = random.Random(SEED)
    names = [f"{f} {last}" for last in words.LAST for f in (*words.EN_FIRST, *words.DE_FIRST)]
    rng.shuffle(names)
    rows = []
    for number, name in enumerate(names[:AUTHORS], start=1):
        city = rng.choice(words.CITIES)
        rows.append(
            {
                "id": number,
                "uuid": uuid.UUID(int=rng.getrandbits(128), version=4),
                "slug": slug(name),
                "name": name,
                "bio": f"{name.split()[0]} writes about {rng.choice(words.EN_WORDS[60:200])} from {city}.",
                "avatar_url": f"https://images.example.org/authors/{number}.jpg",
                "location": city,
                "created_at": OLDEST,
                "updated_at": OLDEST,
            }
        )
    return rows


def tag_names() -> list[str]:
    """500 distinct topic names: content words of both languages, then German compounds."""
    candidates = words.EN_WORDS[60:] + words.DE_WORDS[60:] + _german_words()[len(words.DE_WORDS) :]
    seen: dict[str, str] = {}
    for word in candidates:
        seen.setdefault(slug(word), word.capitalize())
    names = list(seen.values())
    extra = (f"{a.capitalize()} {b}" for a in words.EN_WORDS[60:] for b in words.EN_WORDS[100:])
    for name in extra:
        if len(names) >= TAGS:
            break
        if slug(name) not in seen:
            seen[slug(name)] = name
            names.append(name)
    return names[:TAGS]


def tag_rows() -> list[dict[str, Any]]:
    rng = random.Random(SEED + 1)
    return [
        {
            "id": number,
            "uuid": uuid.UUID(int=rng.getrandbits(128), version=4),
            "slug": slug(name),
            "name": name,
            "description": f"Everything about {name}." if number % 3 else None,
            "created_at": OLDEST,
            "updated_at": OLDEST,
        }
        for number, name in enumerate(tag_names(), start=1)
    ]


#: Tag popularity follows a power law too: a few tags carry thousands of articles, most a few dozen.
_TAG_WEIGHTS = list(itertools.accumulate(1.0 / (rank + 1) ** 0.8 for rank in range(TAGS)))


@dataclass
class Batch:
    articles: list[dict[str, Any]]
    article_authors: list[dict[str, Any]]
    article_tags: list[dict[str, Any]]


#: Sentences per language drawn once; articles pick from them, which is ~20x faster than drawing words.
SENTENCE_POOL = 40_000


def _sentence_pool(vocab: Vocabulary, seed: str) -> list[str]:
    rng = random.Random(seed)
    lengths = [rng.randint(6, 16) for _ in range(SENTENCE_POOL)]
    pool = rng.choices(vocab.words, cum_weights=vocab.cum_weights, k=sum(lengths))
    out, start = [], 0
    for length in lengths:
        text = " ".join(pool[start : start + length])
        out.append(text[0].upper() + text[1:] + ".")
        start += length
    return out


_POOLS: dict[str, list[str]] = {}


def _sentences(rng: random.Random, language: str, count: int) -> list[str]:
    if language not in _POOLS:
        _POOLS[language] = _sentence_pool(VOCABULARY[language], f"{SEED}-{language}")
    return rng.choices(_POOLS[language], k=count)


def _body(rng: random.Random, language: str, number: int, topics: list[str]) -> tuple[str, str, str]:
    """Markdown, HTML and plain text of one body, from the same blocks: about 4 KB of Markdown."""
    vocab = VOCABULARY[language]
    target = rng.randint(3000, 4300)
    md: list[str] = []
    html: list[str] = []
    plain: list[str] = []
    size = 0
    section = 0
    while size < target:
        if section:
            heading = " ".join(rng.choices(vocab.words[40:], k=rng.randint(2, 5))).capitalize()
            md.append(f"## {heading}")
            html.append(f"<h2>{heading}</h2>")
            plain.append(heading)
        for _ in range(rng.randint(2, 3)):
            sentences = _sentences(rng, language, rng.randint(3, 6))
            if rng.random() < 0.6:  # the article's names recur through it
                named = rng.sample(topics, min(len(topics), 2))
                sentences.insert(rng.randrange(len(sentences) + 1), f"{' '.join(named)} {sentences[-1]}")
            text = " ".join(sentences)
            md_text, html_text = text, text
            if rng.random() < 0.3:
                bold = sentences[0][:-1]
                md_text = md_text.replace(bold, f"**{bold}**", 1)
                html_text = html_text.replace(bold, f"<strong>{bold}</strong>", 1)
            if rng.random() < 0.2:
                anchor = sentences[-1].split()[0]
                href = f"https://example.org/archive/{number}/{section}"
                md_text += f" [{anchor}]({href})"
                html_text += f' <a href="{href}" rel="noopener noreferrer">{anchor}</a>'
                text += f" {anchor}"
            md.append(md_text)
            html.append(f"<p>{html_text}</p>")
            plain.append(text)
            size += len(md_text)
        if rng.random() < 0.25:
            items = [s[:-1] for s in _sentences(rng, language, rng.randint(3, 5))]
            md.append("\n".join(f"- {item}" for item in items))
            html.append("<ul>\n" + "\n".join(f"<li>{item}</li>" for item in items) + "\n</ul>")
            plain.extend(items)
            size += sum(len(item) + 3 for item in items)
        section += 1
    return "\n\n".join(md) + "\n", "\n".join(html) + "\n", " ".join(plain)


def _published_at(rng: random.Random, number: int, total: int) -> datetime:
    """Evenly spread from OLDEST to NEWEST in id order, with jitter so ties and reorderings occur."""
    span = (NEWEST - OLDEST).total_seconds()
    offset = span * (number - 1) / max(total - 1, 1) + rng.uniform(-3600, 3600)
    return min(NEWEST, max(OLDEST, OLDEST + timedelta(seconds=offset)))


def article_batches(total: int, start: int = 1, stop: int | None = None) -> Iterator[Batch]:
    """Articles ``start``..``stop`` (1-based, inclusive) of a data set of ``total``, in batches."""
    stop = total if stop is None else stop
    first_batch = (start - 1) // BATCH
    for batch_number in itertools.count(first_batch):
        low = batch_number * BATCH + 1
        if low > stop:
            return
        rng = random.Random(f"{SEED}-{total}-{batch_number}")
        batch = Batch([], [], [])
        for number in range(low, min(low + BATCH - 1, total) + 1):
            article = _article(rng, number, total, batch)
            if start <= number <= stop:
                batch.articles.append(article)
        batch.article_authors = [r for r in batch.article_authors if start <= r["article_id"] <= stop]
        batch.article_tags = [r for r in batch.article_tags if start <= r["article_id"] <= stop]
        yield batch


def _article(rng: random.Random, number: int, total: int, batch: Batch) -> dict[str, Any]:
    language = "de" if rng.random() < 0.5 else "en"
    vocab = VOCABULARY[language]
    topics = list(
        dict.fromkeys(rng.choices(TOPICS.words, cum_weights=TOPICS.cum_weights, k=rng.randint(3, 6)))
    )
    title = " ".join(rng.choices(vocab.words[30:], k=rng.randint(3, 7))).capitalize() + f" {topics[0]}"
    markdown, html, plaintext = _body(rng, language, number, topics)
    published = _published_at(rng, number, total)
    has_image = rng.random() < 0.7
    for position, author_id in enumerate(_distinct(rng, 1 if rng.random() < 0.85 else 2, AUTHORS, None)):
        batch.article_authors.append({"article_id": number, "author_id": author_id, "position": position})
    for position, tag_id in enumerate(_distinct(rng, rng.randint(1, 5), TAGS, _TAG_WEIGHTS)):
        batch.article_tags.append({"article_id": number, "tag_id": tag_id, "position": position})
    return {
        "id": number,
        "uuid": uuid.UUID(int=rng.getrandbits(128), version=4),
        "slug": f"{slug(title)[:150]}-{number}",
        "title": title,
        "excerpt": plaintext.split(". ")[0] + "." if rng.random() < 0.3 else None,
        "markdown": markdown,
        "html": html,
        "plaintext": plaintext,
        "auto_excerpt": derived_excerpt(plaintext),
        "feature_image_url": f"https://images.example.org/articles/{number}.jpg" if has_image else None,
        "feature_image_alt": title if has_image else None,
        "feature_image_caption": None,
        "language": language,
        "status": "published",
        "published_at": published,
        "created_at": published - timedelta(hours=rng.randint(1, 72)),
        "updated_at": published,
        "deleted_at": None,
        "version": 1,
        "featured": rng.random() < 0.02,
        "meta_title": None,
        "meta_description": None,
        "comments_enabled": True,
        "comment_count": int(rng.expovariate(0.3)),
        "reading_time": reading_time(plaintext),
        "created_by_id": None,
    }


def _distinct(rng: random.Random, count: int, size: int, cum_weights: list[float] | None) -> list[int]:
    chosen: list[int] = []
    while len(chosen) < count:
        pick = rng.choices(range(1, size + 1), cum_weights=cum_weights)[0]
        if pick not in chosen:
            chosen.append(pick)
    return chosen


def expected_batches(total: int) -> int:
    return math.ceil(total / BATCH)
