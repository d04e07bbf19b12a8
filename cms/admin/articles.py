"""Staff pages for articles: the list, the editor, and the actions around it."""

from __future__ import annotations

import uuid
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from cms.admin import admin
from cms.admin.access import staff_required
from cms.admin.article_forms import (
    ACTIONS,
    ArticleFilters,
    ArticleForm,
    now_local,
    split_list,
    to_local,
    to_utc,
)
from cms.admin.navigation import nav_item
from cms.api.pagination import paginate
from cms.auth.permissions import can, require
from cms.content import editing, queries
from cms.content.models import Article, Author, Status, Tag
from cms.content.previews import preview_link
from cms.content.rendering import markdown_to_html
from cms.content.revisions import diff, snapshot
from cms.content.slugs import slugify
from cms.db import utcnow
from cms.errors import Forbidden, NotFound, ValidationError
from cms.extensions import db

PAGE_SIZE = 20
#: Suggestions offered in the author and tag filters (typing any slug works too).
CHOICES = 500

nav_item("Articles", "admin.articles", order=10)


def find_article(article_id: str) -> Article:
    """The article if the current user may see it; 404 otherwise, so ids of others' drafts leak nothing."""
    try:
        public_id = uuid.UUID(article_id)
    except ValueError:
        raise NotFound("No article has this id.") from None
    article = db.session.scalar(select(Article).where(Article.uuid == public_id))
    if article is None or not can(current_user, "view_article", article):
        raise NotFound("No article has this id.")
    return article


@admin.get("/articles")
@staff_required
def articles() -> str:
    filters = ArticleFilters(request.args)
    filters.validate()
    statement = editing.staff_articles(current_user)
    status = filters.status.data
    if status == "trash":
        statement = statement.where(Article.deleted_at.is_not(None))
    else:
        statement = statement.where(Article.deleted_at.is_(None))
        if status == "draft":
            statement = statement.where(Article.status == Status.DRAFT)
        elif status == "scheduled":
            statement = statement.where(Article.status.in_(editing.LIVE), Article.published_at > utcnow())
        elif status == "published":
            statement = statement.where(queries.is_public())
    if filters.q.data:
        statement = statement.where(queries.matching(filters.q.data))
    if filters.author.data:
        statement = statement.where(queries.with_author(filters.author.data.strip()))
    if filters.tag.data:
        statement = statement.where(queries.with_tag(filters.tag.data.strip()))
    page_number = max(1, filters.page.data or 1) if not filters.page.errors else 1
    page = paginate(statement.order_by(Article.updated_at.desc(), Article.id.desc()), page_number, PAGE_SIZE)
    args = {k: v for k, v in request.args.items() if k != "page"}
    return render_template(
        "admin/articles/list.html",
        page=page,
        filters=filters,
        args=args,
        label=state_label,
        author_choices=db.session.scalars(select(Author).order_by(Author.name).limit(CHOICES)).all(),
        tag_choices=db.session.scalars(select(Tag).order_by(Tag.name).limit(CHOICES)).all(),
    )


def state_label(article: Article) -> str:
    if article.deleted_at is not None:
        return "in trash"
    if article.status in editing.LIVE and not queries.article_is_public(article):
        return "scheduled"
    return article.status.value


@admin.route("/articles/new", methods=["GET", "POST"])
@staff_required
def new_article() -> str | Response | tuple[str, int]:
    require(current_user, "create_article")
    form = ArticleForm()
    if not form.is_submitted():
        form.language.data = form.language.data or "en"
    return _handle_editor(form, None)


@admin.route("/articles/<article_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_article(article_id: str) -> str | Response | tuple[str, int]:
    article = find_article(article_id)
    form = ArticleForm(obj=None if request.method == "POST" else article)
    if request.method == "GET":
        _fill(form, article)
    return _handle_editor(form, article)


def _fill(form: ArticleForm, article: Article) -> None:
    form.version.data = str(article.version)
    form.tags.data = ", ".join(t.name for t in article.tags)
    form.authors.data = ", ".join(a.slug for a in article.authors)
    local = to_local(article.published_at, current_user.timezone)
    form.publish_at.data = local.replace(tzinfo=None) if local else None


def _handle_editor(form: ArticleForm, article: Article | None) -> str | Response | tuple[str, int]:
    context: dict[str, Any] = {}
    status = 200
    if form.validate_on_submit():
        action = request.form.get("action", "save")
        if action not in ACTIONS:
            action = "save"
        if action == "preview":
            context["preview_html"] = markdown_to_html(form.markdown.data or "")
        else:
            try:
                saved = _save(form, article, action)
            except editing.StaleVersion as stale:
                db.session.rollback()
                current = db.session.get(Article, stale.article.id)
                assert current is not None
                context["conflict"] = _conflict(form, current)
                form.version.data = str(current.version)
            except ValidationError as error:
                db.session.rollback()
                _attach(form, error)
            except Forbidden as refused:
                # A step this role may not take (publishing, a new tag, moving a live slug): say so
                # on the editor, with the text still in the form, rather than on a bare error page.
                db.session.rollback()
                flash(f"Not saved: {refused.detail}", "error")
                status = 403
            else:
                db.session.commit()
                flash(_saved_message(saved, action), "success")
                return redirect(url_for("admin.edit_article", article_id=saved.uuid))
    elif form.is_submitted():
        flash("Please fix the marked fields.", "error")
    page = render_template(
        "admin/articles/edit.html",
        form=form,
        article=article,
        state=state_label(article) if article else "new",
        zone=current_user.timezone,
        can_publish=can(current_user, "publish_article", article)
        if article
        else editing.may_publish_new(current_user),
        now_local=now_local(current_user.timezone),
        **context,
    )
    return (page, status) if status != 200 else page


def _save(form: ArticleForm, article: Article | None, action: str) -> Article:
    changes = form.changes()
    status: Status | None = None
    published_at = None
    if action == "publish":
        status = Status.PUBLISHED
    elif action == "unpublish":
        status = Status.DRAFT
    elif action == "schedule":
        if form.publish_at.data is None:
            raise ValidationError.field("publish_at", "choose the date and time to publish at")
        published_at = to_utc(form.publish_at.data, current_user.timezone)
        if published_at <= utcnow():
            raise ValidationError.field("publish_at", "choose a time in the future")
        status = Status.SCHEDULED
    if article is None:
        return editing.create(current_user, changes, status=status or Status.DRAFT, published_at=published_at)
    version = int(form.version.data) if (form.version.data or "").isdigit() else -1
    return editing.save(
        article, current_user, changes, expected_version=version, status=status, published_at=published_at
    )


def _saved_message(article: Article, action: str) -> str:
    if action == "publish":
        return "Published."
    if action == "schedule":
        local = to_local(article.published_at, current_user.timezone)
        return f"Scheduled for {local:%Y-%m-%d %H:%M} ({current_user.timezone})." if local else "Scheduled."
    if action == "unpublish":
        return "Unpublished: the article is a draft again."
    return "Saved."


def _attach(form: ArticleForm, error: ValidationError) -> None:
    for item in error.errors or [{"field": "title", "message": error.detail}]:
        name = {"published_at": "publish_at"}.get(item["field"], item["field"])
        field = getattr(form, name, None) or form.title
        field.errors = [*field.errors, item["message"]]


def _conflict(form: ArticleForm, current: Article) -> dict[str, Any]:
    """What the conflict panel shows: the saved article, the user's text, and the difference."""
    changes = form.changes()
    mine = {**snapshot(current), **changes}
    mine["slug"] = changes.get("slug", current.slug)
    # The form names tags as people typed them; snapshots hold slugs.
    mine["tags"] = [slugify(name) for name in split_list(form.tags.data)]
    return {
        "current": current,
        "saved_by": current.updated_at,
        "diff": diff(
            snapshot(current), mine, old_label=f"saved (version {current.version})", new_label="yours"
        ),
    }


@admin.post("/articles/<article_id>/trash")
@staff_required
def trash_article(article_id: str) -> Response:
    article = find_article(article_id)
    editing.trash(article, current_user)
    db.session.commit()
    flash("Moved to the trash. Editors can restore it.", "success")
    return redirect(url_for("admin.articles"))


@admin.post("/articles/<article_id>/restore")
@staff_required
def restore_article(article_id: str) -> Response:
    article = find_article(article_id)
    editing.restore_from_trash(article, current_user)
    db.session.commit()
    flash("Restored from the trash.", "success")
    return redirect(url_for("admin.edit_article", article_id=article.uuid))


@admin.post("/articles/<article_id>/preview-link")
@staff_required
def preview_article(article_id: str) -> str:
    article = find_article(article_id)
    return render_template("admin/articles/preview_link.html", article=article, link=preview_link(article))
