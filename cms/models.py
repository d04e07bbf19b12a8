"""Every model, imported in one place so the metadata (and Alembic) sees all tables."""

from cms.auth.models import Role, User
from cms.content.models import Article, ArticleAuthor, ArticleTag, Author, Status, Tag

__all__ = ["Article", "ArticleAuthor", "ArticleTag", "Author", "Role", "Status", "Tag", "User"]
