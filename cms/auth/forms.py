"""The account pages' forms. Flask-WTF adds and checks the CSRF token on every one."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

_MAX_PASSWORD = Length(max=1024)


class RegisterForm(FlaskForm):
    email = EmailField("Email address", validators=[DataRequired(), Length(max=254)])
    username = StringField("Username", validators=[DataRequired(), Length(max=64)])
    password = PasswordField(
        "Password",
        validators=[DataRequired(), _MAX_PASSWORD],
        description="At least 12 characters; a passphrase of a few words works well.",
    )


class LoginForm(FlaskForm):
    login = StringField("Username or email address", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), _MAX_PASSWORD])
    remember = BooleanField("Remember me")
    next = HiddenField()


class ForgotPasswordForm(FlaskForm):
    login = StringField("Username or email address", validators=[DataRequired(), Length(max=254)])


class NewPasswordForm(FlaskForm):
    password = PasswordField("New password", validators=[DataRequired(), _MAX_PASSWORD])
    password_again = PasswordField(
        "New password again", validators=[DataRequired(), EqualTo("password", "The passwords differ.")]
    )


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField("Current password", validators=[DataRequired(), _MAX_PASSWORD])
    new_password = PasswordField("New password", validators=[DataRequired(), _MAX_PASSWORD])
    new_password_again = PasswordField(
        "New password again", validators=[DataRequired(), EqualTo("new_password", "The passwords differ.")]
    )


class ChangeEmailForm(FlaskForm):
    new_email = EmailField("New email address", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Current password", validators=[DataRequired(), _MAX_PASSWORD])


class LogoutForm(FlaskForm):
    """No fields: the CSRF token alone, so no other site can sign a visitor out."""


class CommentNoticesForm(FlaskForm):
    notify_comments = BooleanField("Email me when a comment on one of my articles awaits moderation")
