"""The account pages: register, confirm, log in and out, the account page, password reset, invitations.

They work without JavaScript; every form carries a CSRF token. Pages that open an emailed link are
served with ``Referrer-Policy: no-referrer`` and ``Cache-Control: no-store``, so the token in their
URL leaks neither to other sites nor into caches.
"""

from __future__ import annotations

from typing import cast

from flask import Blueprint, Flask, Response, flash, redirect, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response as BaseResponse

from cms.auth import credentials, service
from cms.auth.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    CommentNoticesForm,
    ForgotPasswordForm,
    LoginForm,
    LogoutForm,
    NewPasswordForm,
    RegisterForm,
)
from cms.auth.limits import (
    confirm_per_account,
    login_per_account,
    mail_per_account,
    per_ip,
    per_ip_any_method,
    reset_per_account,
)
from cms.auth.models import User
from cms.auth.signin import configure_login, end_session, renew_session, safe_next, start_session
from cms.auth.timing import even_timing
from cms.errors import AppError, ValidationError
from cms.extensions import db
from cms.mail.building import preferred_language

auth = Blueprint("auth", __name__)

#: Pages whose URL holds a token.
_TOKEN_PAGES = frozenset(
    {"auth.confirm", "auth.reset_password", "auth.accept_invitation", "auth.confirm_email"}
)
CHECK_EMAIL = "If the details can be used, we have sent an email. Please check your inbox."


@auth.record_once
def _setup(state: BlueprintSetupState) -> None:
    configure_login(cast(Flask, state.app))


@auth.after_request
def _protect_token_pages(response: Response) -> Response:
    if request.endpoint in _TOKEN_PAGES:
        response.headers["Referrer-Policy"] = "no-referrer"
        response.cache_control.no_store = True
    return response


@auth.app_context_processor
def _logout_form() -> dict[str, object]:
    return {"logout_form": LogoutForm}


def _show_error(form: FlaskForm, error: ValidationError) -> None:
    """Put a service's field error next to the matching form field, or at the top of the page."""
    for item in error.errors:
        field = getattr(form, item["field"], None)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, item["message"][:1].upper() + item["message"][1:] + "."]
        else:
            flash(item["message"], "error")
    if not error.errors:
        flash(error.detail, "error")


def _landing(user: User) -> str:
    return "/admin/" if user.is_staff else url_for("auth.account")


@auth.route("/register", methods=["GET", "POST"])
@per_ip
@mail_per_account
@even_timing
def register() -> str | tuple[str, int]:
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            service.register(
                email=form.email.data or "",
                username=form.username.data or "",
                password=form.password.data or "",
                language=preferred_language(),
            )
        except ValidationError as error:
            _show_error(form, error)
        else:
            db.session.commit()
            return render_template("auth/check_email.html", title="Check your inbox", message=CHECK_EMAIL)
    return render_template("auth/register.html", form=form), 400 if form.is_submitted() else 200


@auth.get("/confirm/<token>")
@per_ip_any_method
@confirm_per_account
def confirm(token: str) -> str:
    user = service.confirm_email(token)
    db.session.commit()
    return render_template("auth/confirmed.html", user=user)


@auth.route("/login", methods=["GET", "POST"])
@per_ip
@login_per_account
def login() -> tuple[str, int] | str | BaseResponse:
    form = LoginForm()
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next")) or ""
    if form.validate_on_submit():
        attempt = service.attempt_login(form.login.data or "", form.password.data or "")
        db.session.commit()
        if attempt.error is None and attempt.user is not None:
            target = safe_next(form.next.data) or _landing(attempt.user)
            start_session(attempt.user, remember=bool(form.remember.data))
            return redirect(target)
        flash(_login_message(attempt.error), "error")
        return render_template("auth/login.html", form=form), attempt.error.status if attempt.error else 401
    return render_template("auth/login.html", form=form), 400 if form.is_submitted() else 200


def _login_message(error: AppError | None) -> str:
    return error.detail if error is not None else service.WRONG_CREDENTIALS


@auth.post("/logout")
def logout() -> BaseResponse:
    form = LogoutForm()
    if form.validate_on_submit():
        end_session()
        flash("You are logged out.", "success")
    return redirect(url_for("public.index"))


@auth.get("/account")
@login_required
def account() -> str:
    return render_template(
        "auth/account.html",
        password_form=ChangePasswordForm(prefix="pw"),
        email_form=ChangeEmailForm(prefix="em"),
    )


@auth.post("/account/password")
@login_required
@per_ip
def change_password() -> tuple[str, int] | BaseResponse:
    form = ChangePasswordForm(prefix="pw")
    user: User = current_user._get_current_object()
    if form.validate_on_submit():
        try:
            credentials.change_password(
                user,
                current_password=form.current_password.data or "",
                new_password=form.new_password.data or "",
            )
        except ValidationError as error:
            _show_error(form, error)
        else:
            db.session.commit()
            renew_session(user)
            flash("Your password has been changed. Other devices have been signed out.", "success")
            return redirect(url_for("auth.account"))
    return render_template(
        "auth/account.html", password_form=form, email_form=ChangeEmailForm(prefix="em")
    ), 400


@auth.post("/account/email")
@login_required
@per_ip
def change_email() -> tuple[str, int] | BaseResponse:
    form = ChangeEmailForm(prefix="em")
    user: User = current_user._get_current_object()
    if form.validate_on_submit():
        try:
            credentials.request_email_change(
                user, password=form.password.data or "", new_email=form.new_email.data or ""
            )
        except ValidationError as error:
            _show_error(form, error)
        else:
            db.session.commit()
            flash(
                "We have sent a confirmation link to the new address. "
                "Your address changes when you follow it.",
                "success",
            )
            return redirect(url_for("auth.account"))
    return render_template(
        "auth/account.html", password_form=ChangePasswordForm(prefix="pw"), email_form=form
    ), 400


@auth.post("/account/notifications")
@login_required
def change_notifications() -> BaseResponse:
    form = CommentNoticesForm()
    if not form.validate_on_submit():
        raise ValidationError("The form expired. Please try again.")
    user: User = current_user._get_current_object()
    user.notify_comments = bool(form.notify_comments.data)
    db.session.commit()
    state = "on" if user.notify_comments else "off"
    flash(f"Emails about comments awaiting moderation are {state}.", "success")
    return redirect(url_for("auth.account"))


@auth.get("/account/email/<token>")
@per_ip_any_method
def confirm_email(token: str) -> BaseResponse:
    credentials.confirm_email_change(token)
    db.session.commit()
    flash("Your email address has been changed.", "success")
    return redirect(url_for("auth.account") if current_user.is_authenticated else url_for("auth.login"))


@auth.route("/password/forgot", methods=["GET", "POST"])
@per_ip
@mail_per_account
@even_timing
def forgot_password() -> str | tuple[str, int]:
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        credentials.request_password_reset(form.login.data or "")
        db.session.commit()
        return render_template("auth/check_email.html", title="Check your inbox", message=CHECK_EMAIL)
    return render_template("auth/forgot.html", form=form), 400 if form.is_submitted() else 200


@auth.route("/password/reset/<token>", methods=["GET", "POST"])
@per_ip
@reset_per_account
def reset_password(token: str) -> tuple[str, int] | BaseResponse:
    user = credentials.check_reset_token(token)
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            credentials.reset_password(token, form.password.data or "")
        except ValidationError as error:
            _show_error(form, error)
        else:
            db.session.commit()
            flash("Your password has been changed. Please log in with the new one.", "success")
            return redirect(url_for("auth.login"))
    page = render_template("auth/new_password.html", form=form, user=user, title="Choose a new password")
    return page, 400 if form.is_submitted() else 200


@auth.route("/invite/<token>", methods=["GET", "POST"])
@per_ip
@reset_per_account
def accept_invitation(token: str) -> tuple[str, int] | BaseResponse:
    user = credentials.check_invitation(token)
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            credentials.accept_invitation(token, form.password.data or "")
        except ValidationError as error:
            _show_error(form, error)
        else:
            db.session.commit()
            flash("Your account is ready. Please log in.", "success")
            return redirect(url_for("auth.login"))
    title = "Welcome: choose your password"
    page = render_template("auth/new_password.html", form=form, user=user, title=title)
    return page, 400 if form.is_submitted() else 200
