"""Every role against every action: the matrix the staff UI and the API both obey."""

from __future__ import annotations

import pytest

from cms.auth.models import Role
from cms.auth.permissions import ACTIONS, can, require
from cms.content.models import Article, Status
from cms.errors import Forbidden
from tests.factories import make_article, make_author, make_user

A, E, AU, C, R = Role.ADMIN, Role.EDITOR, Role.AUTHOR, Role.CONTRIBUTOR, Role.READER
ALL_STAFF = {A, E, AU, C}

#: action -> (roles allowed on an article they do not own, roles allowed on their own draft,
#:            roles allowed on their own published article)
ARTICLE_MATRIX = {
    "view_article": ({A, E}, ALL_STAFF, ALL_STAFF),
    "edit_article": ({A, E}, ALL_STAFF, {A, E, AU}),
    "publish_article": ({A, E}, {A, E, AU}, {A, E, AU}),
    "trash_article": ({A, E}, ALL_STAFF, {A, E, AU}),
    "restore_article": ({A, E}, {A, E}, {A, E}),
    "change_published_slug": ({A, E}, {A, E}, {A, E}),
}

#: action -> roles allowed (no object involved)
GLOBAL_MATRIX = {
    "access_admin": ALL_STAFF,
    "create_article": ALL_STAFF,
    "view_any_article": {A, E},
    "create_tag": {A, E, AU},
    "manage_tags": {A, E},
    "manage_authors": {A, E},
    "moderate_comments": {A, E},
    "manage_users": {A},
    "manage_api_keys": ALL_STAFF,
    "create_admin_api_key": {A},
    "read_audit_log": {A},
    "manage_integrations": {A},
}


def test_the_matrix_covers_every_action():
    assert set(ARTICLE_MATRIX) | set(GLOBAL_MATRIX) | {"edit_author"} == set(ACTIONS)


def _owned(user, status: Status) -> Article:  # type: ignore[no-untyped-def]
    if status is Status.DRAFT:
        return make_article(status=Status.DRAFT, published_at=None, by=user)
    return make_article(by=user)


@pytest.mark.parametrize("action", sorted(ARTICLE_MATRIX))
@pytest.mark.parametrize("role", list(Role))
def test_article_actions(role: Role, action: str):
    others, own_draft, own_live = ARTICLE_MATRIX[action]
    user = make_user(role=role)
    assert can(user, action, make_article()) is (role in others)
    assert can(user, action, _owned(user, Status.DRAFT)) is (role in own_draft)
    assert can(user, action, _owned(user, Status.PUBLISHED)) is (role in own_live)


@pytest.mark.parametrize("action", sorted(GLOBAL_MATRIX))
@pytest.mark.parametrize("role", list(Role))
def test_global_actions(role: Role, action: str):
    user = make_user(role=role)
    assert can(user, action) is (role in GLOBAL_MATRIX[action])


@pytest.mark.parametrize("role", list(Role))
def test_author_profiles_are_editable_by_their_owner_and_editors(role: Role):
    user = make_user(role=role)
    own = make_author(user_id=user.id)
    other = make_author()
    assert can(user, "edit_author", own) is (role in ALL_STAFF)
    assert can(user, "edit_author", other) is (role in {A, E})


def test_being_a_listed_author_counts_as_owning():
    user = make_user(role=Role.CONTRIBUTOR)
    article = make_article(status=Status.DRAFT, published_at=None, authors=[make_author(user_id=user.id)])
    assert can(user, "edit_article", article)


def test_deactivated_and_anonymous_users_may_do_nothing():
    gone = make_user(role=Role.ADMIN, active=False)
    assert not can(gone, "access_admin")
    assert not can(None, "access_admin")
    with pytest.raises(Forbidden):
        require(gone, "manage_users")
