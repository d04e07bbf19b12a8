"""Staff pages for authors and tags: list, create, edit, delete (editors and admins)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from cms.admin import admin
from cms.admin.access import staff_required
from cms.admin.navigation import nav_item
from cms.admin.taxonomy_forms import AuthorForm, TagForm, form_values
from cms.auth.permissions import require
from cms.content import taxonomy
from cms.content.models import Author, Tag
from cms.errors import NotFound, ValidationError
from cms.extensions import db

nav_item("Authors", "admin.authors", "manage_authors", order=20)
nav_item("Tags", "admin.tags", "manage_tags", order=30)


@dataclass(frozen=True)
class Kind:
    model: Any
    form: Any
    singular: str
    action: str
    create: Callable[..., Any]
    update: Callable[..., Any]
    delete: Callable[..., Any]


_KINDS = {
    "authors": Kind(
        Author, AuthorForm, "author", "manage_authors",
        taxonomy.create_author, taxonomy.update_author, taxonomy.delete_author,
    ),
    "tags": Kind(
        Tag, TagForm, "tag", "manage_tags", taxonomy.create_tag, taxonomy.update_tag, taxonomy.delete_tag
    ),
}  # fmt: skip


def _find(kind: str, item_id: str) -> Any:
    model = _KINDS[kind].model
    try:
        public_id = uuid.UUID(item_id)
    except ValueError:
        raise NotFound from None
    item = db.session.scalar(select(model).where(model.uuid == public_id))
    if item is None:
        raise NotFound(f"No {_KINDS[kind].singular} has this id.")
    return item


def _list(kind: str) -> str:
    spec = _KINDS[kind]
    require(current_user, spec.action)
    items = db.session.scalars(select(spec.model).order_by(spec.model.name)).all()
    return render_template("admin/taxonomy/list.html", kind=kind, singular=spec.singular, items=items)


def _edit(kind: str, item_id: str | None) -> str | Response:
    spec = _KINDS[kind]
    item = _find(kind, item_id) if item_id else None
    if item is None or kind == "tags":
        require(current_user, spec.action)
    else:
        require(current_user, "edit_author", item)
    form = spec.form(obj=item)
    if form.validate_on_submit():
        try:
            if item is None:
                item = spec.create(current_user, form_values(form))
            else:
                spec.update(item, current_user, form_values(form))
        except ValidationError as error:
            db.session.rollback()
            for problem in error.errors:
                getattr(form, problem["field"], form.name).errors.append(problem["message"])
        else:
            db.session.commit()
            flash(f"Saved {spec.singular} “{item.name}”.", "success")
            return redirect(url_for(f"admin.{kind}"))
    return render_template(
        "admin/taxonomy/edit.html", kind=kind, singular=spec.singular, form=form, item=item
    )


def _delete(kind: str, item_id: str) -> Response:
    spec = _KINDS[kind]
    item = _find(kind, item_id)
    spec.delete(item, current_user)
    db.session.commit()
    flash(f"Deleted {spec.singular} “{item.name}”.", "success")
    return redirect(url_for(f"admin.{kind}"))


@admin.get("/authors")
@staff_required
def authors() -> str:
    return _list("authors")


@admin.route("/authors/new", methods=["GET", "POST"], defaults={"item_id": None})
@admin.route("/authors/<item_id>", methods=["GET", "POST"])
@staff_required
def edit_author(item_id: str | None) -> str | Response:
    return _edit("authors", item_id)


@admin.post("/authors/<item_id>/delete")
@staff_required
def delete_author(item_id: str) -> Response:
    return _delete("authors", item_id)


@admin.get("/tags")
@staff_required
def tags() -> str:
    return _list("tags")


@admin.route("/tags/new", methods=["GET", "POST"], defaults={"item_id": None})
@admin.route("/tags/<item_id>", methods=["GET", "POST"])
@staff_required
def edit_tag(item_id: str | None) -> str | Response:
    return _edit("tags", item_id)


@admin.post("/tags/<item_id>/delete")
@staff_required
def delete_tag(item_id: str) -> Response:
    return _delete("tags", item_id)
