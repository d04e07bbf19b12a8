"""Staff pages for accounts (admins): the list, roles, deactivation and invitations."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms import EmailField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length

from cms.admin import admin
from cms.admin.access import staff_required
from cms.admin.navigation import nav_item
from cms.audit.service import record
from cms.auth.credentials import invite_user
from cms.auth.models import Role, User
from cms.auth.permissions import require
from cms.auth.roles import change_role, set_active
from cms.errors import AppError, NotFound
from cms.extensions import db

nav_item("Users", "admin.users", "manage_users", order=60)

ROLE_CHOICES = [SelectChoice(role.value, role.value.capitalize()) for role in Role]


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=ROLE_CHOICES)


class InviteForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Email(), Length(max=254)])
    username = StringField("Username", validators=[DataRequired(), Length(max=64)])
    role = SelectField("Role", choices=[c for c in ROLE_CHOICES if c.value != "reader"], default="author")


def _user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("No such user.")
    return user


@admin.get("/users")
@staff_required
def users() -> str:
    require(current_user, "manage_users")
    people = db.session.scalars(select(User).order_by(User.role, User.username)).all()
    return render_template("admin/users.html", people=people, role_form=RoleForm, invite=InviteForm())


@admin.post("/users/<int:user_id>/role")
@staff_required
def set_user_role(user_id: int) -> Response:
    require(current_user, "manage_users")
    form = RoleForm()
    if form.validate_on_submit():
        user = _user(user_id)
        try:
            change_role(user, Role(form.role.data), by=current_user)
        except AppError as error:
            db.session.rollback()
            flash(error.detail, "error")
        else:
            db.session.commit()
            flash(f"{user.username} is now {user.role.value}.", "success")
    return redirect(url_for("admin.users"))


@admin.post("/users/<int:user_id>/active/<int:active>")
@staff_required
def set_user_active(user_id: int, active: int) -> Response:
    user = _user(user_id)
    try:
        set_active(user, bool(active), by=current_user)
    except AppError as error:
        db.session.rollback()
        flash(error.detail, "error")
    else:
        db.session.commit()
        flash(f"{user.username} is {'active' if user.active else 'deactivated'}.", "success")
    return redirect(url_for("admin.users"))


@admin.post("/users/invite")
@staff_required
def invite() -> str | Response:
    require(current_user, "manage_users")
    form = InviteForm()
    if form.validate_on_submit():
        try:
            user = invite_user(
                email=form.email.data, username=form.username.data, role=Role(form.role.data), by=current_user
            )
        except AppError as error:
            db.session.rollback()
            flash(error.detail, "error")
        else:
            record(
                current_user,
                "user.invite",
                f"user:{user.id}",
                f"Invited {user.username} as {user.role.value}",
            )
            db.session.commit()
            flash(f"Invitation sent to {user.email}.", "success")
            return redirect(url_for("admin.users"))
    people = db.session.scalars(select(User).order_by(User.role, User.username)).all()
    return render_template("admin/users.html", people=people, role_form=RoleForm, invite=form)
