"""Who may do what: the one permission function, asked by the staff UI and the API alike.

Roles, from most to least trusted:

- admin: everything.
- editor: all content (any article, publishing, trash and restore, slugs of published articles),
  tags, authors and comment moderation.
- author: their own articles, publishing included; may create tags while writing.
- contributor: their own drafts only; never publishes, and loses edit rights once an article is live.
- reader: nothing in the staff area.

"Their own" means the user created the article or is linked to one of its author profiles.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cms.auth.models import Role, User
from cms.errors import Forbidden

#: Every action ``can`` knows. An unknown action is a programming error and raises ``KeyError``.
ACTIONS = (
    "access_admin",
    "create_article",
    "view_article",
    "view_any_article",
    "edit_article",
    "publish_article",
    "trash_article",
    "restore_article",
    "change_published_slug",
    "create_tag",
    "manage_tags",
    "manage_authors",
    "edit_author",
    "moderate_comments",
    "manage_users",
    "manage_api_keys",
    "create_admin_api_key",
    "read_audit_log",
    "manage_integrations",
)

_EDITORS = frozenset({Role.ADMIN, Role.EDITOR})
_WRITERS = frozenset({Role.ADMIN, Role.EDITOR, Role.AUTHOR})
_STAFF = frozenset({Role.ADMIN, Role.EDITOR, Role.AUTHOR, Role.CONTRIBUTOR})


def owns_article(user: User, article: Any) -> bool:
    if article is None:
        return False
    if article.created_by_id == user.id:
        return True
    return any(link.author.user_id == user.id for link in article.author_links)


def _is_live(article: Any) -> bool:
    from cms.content.models import Status

    return article is not None and article.status in (Status.PUBLISHED, Status.SCHEDULED)


def _article_rule(*, editors: bool, author_own: bool, contributor_own_draft: bool) -> Callable[..., bool]:
    def rule(user: User, article: Any) -> bool:
        if user.role in _EDITORS:
            return editors
        if user.role is Role.AUTHOR:
            return author_own and owns_article(user, article)
        if user.role is Role.CONTRIBUTOR:
            return contributor_own_draft and owns_article(user, article) and not _is_live(article)
        return False

    return rule


def _roles(roles: frozenset[Role]) -> Callable[..., bool]:
    return lambda user, obj: user.role in roles


def _own_author_profile(user: User, author: Any) -> bool:
    if user.role in _EDITORS:
        return True
    return user.role in _STAFF and author is not None and author.user_id == user.id


def _view_article(user: User, article: Any) -> bool:
    if user.role in _EDITORS:
        return True
    return user.role in _STAFF and owns_article(user, article)


_RULES: dict[str, Callable[[User, Any], bool]] = {
    "access_admin": _roles(_STAFF),
    "create_article": _roles(_STAFF),
    "view_article": _view_article,
    "view_any_article": _roles(_EDITORS),
    "edit_article": _article_rule(editors=True, author_own=True, contributor_own_draft=True),
    "publish_article": _article_rule(editors=True, author_own=True, contributor_own_draft=False),
    "trash_article": _article_rule(editors=True, author_own=True, contributor_own_draft=True),
    "restore_article": _roles(_EDITORS),
    "change_published_slug": _roles(_EDITORS),
    "create_tag": _roles(_WRITERS),
    "manage_tags": _roles(_EDITORS),
    "manage_authors": _roles(_EDITORS),
    "edit_author": _own_author_profile,
    "moderate_comments": _roles(_EDITORS),
    "manage_users": _roles(frozenset({Role.ADMIN})),
    # Staff hold keys of their own; admins see and revoke everyone's.
    "manage_api_keys": _roles(_STAFF),
    "create_admin_api_key": _roles(frozenset({Role.ADMIN})),
    "read_audit_log": _roles(frozenset({Role.ADMIN})),
    # Content API keys and webhooks: what leaves the CMS for other systems.
    "manage_integrations": _roles(frozenset({Role.ADMIN})),
}
assert set(_RULES) == set(ACTIONS), "every action needs a rule"


def can(user: Any, action: str, obj: Any = None) -> bool:
    """True when ``user`` may do ``action`` (on ``obj`` when the rule looks at one).

    Anonymous and deactivated users may do nothing here.
    """
    rule = _RULES[action]
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "active", False):
        return False
    return rule(user, obj)


def require(user: Any, action: str, obj: Any = None) -> None:
    if not can(user, action, obj):
        raise Forbidden("You do not have permission to do this.")
