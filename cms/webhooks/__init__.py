"""Webhooks: signed JSON POSTs that tell other systems (a static site build, a search index) what changed.

Changes are noticed in the session (``events``), written as deliveries in the same transaction, and
sent after the commit (``delivery``), with retries and backoff shared with the mail outbox.
"""

#: Every event a webhook can subscribe to.
EVENTS = (
    "article.published",
    "article.updated",
    "article.unpublished",
    "article.deleted",
    "comment.created",
    "comment.approved",
    "author.updated",
    "tag.updated",
)
