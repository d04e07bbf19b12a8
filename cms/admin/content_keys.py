"""Admin page for Content API keys: the keys Ghost frontends pass as ``?key=``."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from cms.admin import admin
from cms.admin.access import staff_required
from cms.admin.navigation import nav_item
from cms.audit.service import record
from cms.auth.permissions import require
from cms.errors import AppError, NotFound
from cms.extensions import db
from cms.ghost.keys import ContentKey, content_keys, create_content_key, delete_content_key

nav_item("Content keys", "admin.content_keys_page", "manage_integrations", order=75)


class ContentKeyForm(FlaskForm):
    name = StringField(
        "Name", validators=[DataRequired(), Length(max=100)], description="The site or app that will use it."
    )


@admin.route("/content-keys", methods=["GET", "POST"])
@staff_required
def content_keys_page() -> str:
    require(current_user, "manage_integrations")
    form = ContentKeyForm()
    new_key = None
    if form.validate_on_submit():
        try:
            row, new_key = create_content_key(form.name.data or "")
        except AppError as error:
            db.session.rollback()
            form.name.errors = [*form.name.errors, error.detail]
        else:
            record(
                current_user,
                "content_key.create",
                f"content_key:{row.id}",
                f"Created content key “{row.name}”",
            )
            db.session.commit()
            form = ContentKeyForm(formdata=None)
    return render_template("admin/content_keys.html", keys=content_keys(), form=form, new_key=new_key)


@admin.post("/content-keys/<int:key_id>/delete")
@staff_required
def delete_content_key_page(key_id: int) -> Response:
    require(current_user, "manage_integrations")
    row = db.session.get(ContentKey, key_id)
    if row is None:
        raise NotFound("No such content key.")
    delete_content_key(row)
    record(current_user, "content_key.delete", f"content_key:{key_id}", f"Deleted content key “{row.name}”")
    db.session.commit()
    flash(f"Deleted content key “{row.name}”. Frontends using it can no longer read content.", "success")
    return redirect(url_for("admin.content_keys_page"))
