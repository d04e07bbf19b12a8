"""Every model, imported in one place so the metadata (and Alembic) sees all tables."""

from cms.audit.models import AuditEntry
from cms.auth.api_keys import ApiKey
from cms.auth.models import Role, User
from cms.comments.models import Comment, CommentStatus, CommentVote
from cms.content.counts import ListingCount
from cms.content.kept_relations import ArticleRelations
from cms.content.link_dates import create_link_date_triggers  # noqa: F401 - its metadata events build them
from cms.content.models import Article, ArticleAuthor, ArticleTag, Author, Status, Tag
from cms.content.revisions import Revision
from cms.content.search import create_search_index  # noqa: F401 - its table events create the FTS index
from cms.content.versioning import ContentVersion
from cms.ghost.keys import ContentKey
from cms.mail.models import OutboxMessage
from cms.webhooks import events as _webhook_events  # noqa: F401 - its session events queue deliveries
from cms.webhooks.models import DeliveryStatus, Webhook, WebhookDelivery

__all__ = [
    "ApiKey", "Article", "ArticleAuthor", "ArticleRelations", "ArticleTag", "AuditEntry", "Author",
    "Comment", "CommentStatus", "CommentVote", "ContentKey", "ContentVersion", "DeliveryStatus",
    "ListingCount", "OutboxMessage", "Revision", "Role", "Status", "Tag", "User", "Webhook",
    "WebhookDelivery",
]  # fmt: skip
