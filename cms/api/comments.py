"""Comments over JSON: the public thread of an article, posting, votes, and a reader's own edits.

Nothing here ever shows a commenter's email or IP address (not even hashed) to the public; the staff
side of the API is in ``comments_moderation.py``.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Annotated, Literal

from flask import Response, current_app, request
from flask_login import current_user
from pydantic import Field
from sqlalchemy.orm import lazyload

from cms.api import api
from cms.api.access import require_content_key
from cms.api.caching import json_response
from cms.api.comment_representations import own_comment_json, staff_comments_json, thread_json
from cms.api.pagination import Page
from cms.api.params import BodyModel, PageQuery
from cms.api.routing import endpoint
from cms.api.security import acting_user, request_user
from cms.auth.models import User
from cms.auth.permissions import can
from cms.comments import service, visitors
from cms.comments.models import Comment, CommentStatus
from cms.comments.threads import approved_threads
from cms.content import queries
from cms.content.models import Article
from cms.errors import NotFound, Unauthorized
from cms.extensions import db, limiter

#: A public id, sent as a string: strict bodies otherwise refuse anything but a ``uuid.UUID``.
PublicId = Annotated[uuid.UUID, Field(strict=False)]
VOTER_COOKIE_AGE = timedelta(days=365)


class NewComment(BodyModel):
    body: Annotated[str, Field(max_length=100_000, description="The comment; the allowed HTML tags apply.")]
    author_name: Annotated[str, Field(max_length=1000)] | None = None
    author_email: Annotated[str, Field(max_length=1000, description="Stored, never published.")] | None = None
    author_url: Annotated[str, Field(max_length=5000)] | None = None
    parent_id: PublicId | None = Field(None, description="The approved comment this one replies to.")
    honeypot: Annotated[str, Field(max_length=1000)] | None = Field(
        None, description="Render as a field people cannot see, and send what is in it: bots fill it in."
    )


class NewVote(BodyModel):
    # An int, not a Literal: pydantic would take ``true`` for 1.
    value: Annotated[int, Field(ge=-1, le=1, description="1 up, -1 down, 0 withdraws your vote.")]


class CommentPatch(BodyModel):
    status: Literal["pending", "approved", "spam", "trash"] | None = Field(
        None, description="Moderators only."
    )
    body: Annotated[str, Field(max_length=100_000)] | None = Field(
        None, description="Your own comment, in its first 15 minutes."
    )


def signed_in_user() -> User | None:
    """The account making this request, or None for a visitor: staff tools send an API key, people
    their session cookie (and then ``X-CSRF-Token`` on unsafe requests)."""
    if request.headers.get("Authorization"):
        return acting_user("content:write")
    return request_user(required=False)


def _public_article(id: str) -> Article:
    try:
        public_id = uuid.UUID(id)
    except ValueError:
        raise NotFound("No published article has this id.") from None
    article: Article | None = db.session.scalar(
        queries.visible_articles()
        .where(Article.uuid == public_id)
        .options(lazyload(Article.author_links), lazyload(Article.tag_links))
    )
    if article is None:
        raise NotFound("No published article has this id.")
    return article


def _public_comment(id: str) -> Comment:
    comment = service.find_comment(id)
    if comment is None:
        raise NotFound("No comment has this id.")
    return comment


def _client_ip_key() -> str:
    return "comments-ip:" + visitors.ip_hash(request.remote_addr)


def _commenter_key() -> str:
    """The email a comment is sent under (as a keyed hash); the account or the address without one."""
    data = request.get_json(silent=True)
    email = data.get("author_email") if isinstance(data, dict) else None
    if isinstance(email, str) and email.strip():
        return "comments-email:" + visitors.keyed_hash("email", email.strip().lower())
    if current_user.is_authenticated:
        return f"comments-user:{current_user.id}"
    return _client_ip_key()


@endpoint(
    api,
    "/articles/<id>/comments",
    summary="List the approved comments of a published article",
    description="Top-level comments oldest first, a page at a time, each with its replies nested.",
    tag="Comments",
    query=PageQuery,
    responses={200: "A page of comment threads", 404: "No published article has this id"},
)
def list_comments(id: str, query: PageQuery) -> Response:
    require_content_key()
    article = _public_article(id)
    max_depth = int(current_app.config["COMMENTS_MAX_DEPTH"])
    found = approved_threads(article.id, page=query.page, limit=query.limit, max_depth=max_depth)
    page = Page(items=found.threads, page=query.page, limit=query.limit, total=found.total)
    response = json_response(
        {
            "data": [thread_json(thread) for thread in found.threads],
            # Whether to show the form: posting to an article with comments closed is refused (403).
            "meta": {
                **page.meta(),
                "comment_count": article.comment_count,
                "comments_open": article.comments_enabled,
            },
        }
    )
    # A reader reloads right after posting or voting and must see it: caches keep the copy but ask first
    # (the ETag makes that a 304 when nothing changed).
    response.cache_control.max_age = 0
    response.cache_control.no_cache = True
    link = page.link_header(current_app.config["PUBLIC_URL"])
    if link:
        response.headers["Link"] = link
    return response


@endpoint(
    api,
    "/articles/<id>/comments",
    summary="Post a comment or a reply",
    description=(
        "A signed-in user with a confirmed email may leave out author_name and author_email. The answer's "
        "status says whether the comment is shown (approved) or waits for a moderator (pending)."
    ),
    tag="Comments",
    methods=("POST",),
    body=NewComment,
    responses={
        201: "The comment, with its status",
        400: "A field is invalid (named in errors)",
        403: "Comments are closed on this article",
        404: "No published article has this id",
        409: "The same comment was posted already",
        429: "Too many comments from this address or email",
    },
)
@limiter.limit(lambda: current_app.config["COMMENTS_RATE_LIMIT"], key_func=_client_ip_key)
@limiter.limit(lambda: current_app.config["COMMENTS_EMAIL_RATE_LIMIT"], key_func=_commenter_key)
def post_comment(id: str, body: NewComment) -> Response:
    require_content_key()
    article = _public_article(id)
    comment = service.submit_comment(
        article,
        body=body.body,
        author_name=body.author_name,
        author_email=body.author_email,
        author_url=body.author_url,
        parent_id=body.parent_id,
        user=signed_in_user(),
        honeypot=body.honeypot,
        ip_hash=visitors.ip_hash(request.remote_addr),
    )
    db.session.commit()
    return json_response({"data": own_comment_json(comment)}, status=201)


@endpoint(
    api,
    "/comments/<id>/votes",
    summary="Vote a comment up or down, change the vote, or withdraw it",
    description=(
        "One vote per voter: a signed-in user, or a visitor known by a signed voter cookie together with "
        "their address. Voting again replaces the vote; value 0 withdraws it."
    ),
    tag="Comments",
    methods=("POST",),
    body=NewVote,
    responses={
        200: "The comment's new totals",
        400: "value is not 1, -1 or 0",
        404: "No published comment has this id",
        429: "Too many votes from this address",
    },
)
@limiter.limit(lambda: current_app.config["COMMENTS_VOTE_RATE_LIMIT"], key_func=_client_ip_key)
def vote_on_comment(id: str, body: NewVote) -> Response:
    require_content_key()
    comment = _public_comment(id)
    user = signed_in_user()
    new_cookie = None
    if user is not None:
        voter = visitors.user_voter(user.id)
    else:
        token = visitors.voter_token(request.cookies.get(visitors.VOTER_COOKIE))
        if token is None:
            new_cookie = visitors.new_voter_cookie()
            token = visitors.voter_token(new_cookie)
            assert token is not None
        voter = visitors.anonymous_voter(token, visitors.ip_hash(request.remote_addr))
    service.vote(comment, voter=voter, value=body.value)
    db.session.commit()
    response = json_response({"upvotes": comment.upvotes, "downvotes": comment.downvotes})
    if new_cookie is not None:
        response.set_cookie(
            visitors.VOTER_COOKIE,
            new_cookie,
            max_age=int(VOTER_COOKIE_AGE.total_seconds()),
            path=api.url_prefix or "/",
            httponly=True,
            secure=bool(current_app.config["SESSION_COOKIE_SECURE"]),
            samesite="Lax",
        )
    return response


@endpoint(
    api,
    "/comments/<id>",
    summary="Moderate a comment, or edit your own",
    description=(
        "status: editors and admins. body: the comment's author, signed in, within 15 minutes of posting."
    ),
    tag="Comments",
    methods=("PATCH",),
    body=CommentPatch,
    auth=("session", "bearer"),
    responses={
        200: "The comment",
        401: "Not signed in",
        403: "Not yours, past the 15 minutes, or not a moderator",
        404: "No comment has this id",
    },
)
def patch_comment(id: str, body: CommentPatch) -> Response:
    user = _required_user()
    comment = _public_comment(id)
    if body.body is not None:
        service.edit_own_comment(comment, user=user, body=body.body)
    if body.status is not None:
        service.moderate([comment], CommentStatus(body.status), by=user)
    db.session.commit()
    if can(user, "moderate_comments"):
        return json_response({"data": staff_comments_json([comment])[0]}, public=False)
    return json_response({"data": own_comment_json(comment)}, public=False)


@endpoint(
    api,
    "/comments/<id>",
    summary="Delete your own comment",
    description="The comment's author, signed in, within 15 minutes of posting.",
    tag="Comments",
    methods=("DELETE",),
    auth=("session",),
    responses={
        204: "Deleted",
        401: "Not signed in",
        403: "Not yours, or past the 15 minutes",
        404: "No comment of yours has this id",
    },
    name="delete_comment",
)
def delete_comment(id: str) -> Response:
    user = _required_user()
    service.delete_own_comment(_public_comment(id), user=user)
    db.session.commit()
    return Response(status=204)


def _required_user() -> User:
    user = signed_in_user()
    if user is None:
        raise Unauthorized("Sign in to change a comment.")
    return user
