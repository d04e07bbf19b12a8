"""Staff pages for API keys: staff hold their own, admins see and revoke everyone's."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms import SelectMultipleField, StringField, widgets
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from cms.admin import admin
from cms.admin.access import staff_required
from cms.admin.navigation import nav_item
from cms.audit.service import record
from cms.auth.api_keys import SCOPES, ApiKey, create_api_key, keys_visible_to, may_revoke, revoke_api_key
from cms.auth.permissions import can, require
from cms.errors import AppError, NotFound
from cms.extensions import db

nav_item("API keys", "admin.api_keys", "manage_api_keys", order=70)


class KeyForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=100)], description="What is it for?")
    scopes = SelectMultipleField(
        "Scopes",
        choices=[SelectChoice(s, s) for s in SCOPES],
        default=["content:read"],
        option_widget=widgets.CheckboxInput(),
        widget=widgets.ListWidget(prefix_label=False),
    )


def _form() -> KeyForm:
    form = KeyForm()
    if not can(current_user, "create_admin_api_key"):
        form.scopes.choices = [SelectChoice(s, s) for s in SCOPES if s != "admin"]
    return form


@admin.route("/api-keys", methods=["GET", "POST"])
@staff_required
def api_keys() -> str:
    require(current_user, "manage_api_keys")
    form = _form()
    new_key = None
    if form.validate_on_submit():
        try:
            row, new_key = create_api_key(current_user, name=form.name.data, scopes=form.scopes.data or [])
        except AppError as error:
            db.session.rollback()
            form.name.errors = [*form.name.errors, error.detail]
        else:
            record(current_user, "api_key.create", f"api_key:{row.prefix}",
                   f"Created key “{row.name}” ({row.scopes})")  # fmt: skip
            db.session.commit()
            form = _form()
            form.name.data = ""
    return render_template(
        "admin/api_keys.html", keys=keys_visible_to(current_user), form=form, new_key=new_key
    )


@admin.post("/api-keys/<prefix>/revoke")
@staff_required
def revoke_key(prefix: str) -> Response:
    row = db.session.scalar(select(ApiKey).where(ApiKey.prefix == prefix))
    if row is None or not may_revoke(current_user, row):
        raise NotFound("No such key.")
    revoke_api_key(row)
    record(current_user, "api_key.revoke", f"api_key:{row.prefix}", f"Revoked key “{row.name}”")
    db.session.commit()
    flash(f"Revoked key “{row.name}”.", "success")
    return redirect(url_for("admin.api_keys"))
