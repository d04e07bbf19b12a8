"""Staff pages for webhooks (admins only): register, edit, switch off or on, delete, and each hook's
delivery log."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import Field, SelectMultipleField, StringField, URLField, widgets
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length

from cms.admin import admin
from cms.admin.access import staff_required
from cms.admin.navigation import nav_item
from cms.audit.service import record
from cms.auth.permissions import require
from cms.errors import NotFound, ValidationError
from cms.extensions import db
from cms.webhooks import EVENTS
from cms.webhooks.models import Webhook
from cms.webhooks.service import (
    create_webhook,
    delete_webhook,
    delivery_log,
    set_active,
    update_webhook,
    webhooks,
)

nav_item("Webhooks", "admin.webhooks_page", "manage_integrations", order=77)


class WebhookForm(FlaskForm):
    # Length checks only; the service words the rules (absolute http(s) URL, at least one event).
    name = StringField(
        "Name", validators=[Length(max=100)], description="Who receives it, e.g. “Site rebuild”."
    )
    url = URLField("URL", validators=[Length(max=2000)], description="An http:// or https:// address.")
    events = SelectMultipleField(
        "Events",
        choices=[SelectChoice(e, e) for e in EVENTS],
        option_widget=widgets.CheckboxInput(),
        widget=widgets.ListWidget(prefix_label=False),
    )


class NewWebhookForm(WebhookForm):
    secret = StringField(
        "Secret",
        validators=[Length(max=200)],
        description="At least 16 characters, or empty for a random one. Receivers check signatures with it.",
    )


def _hook(hook_id: int) -> Webhook:
    hook = db.session.get(Webhook, hook_id)
    if hook is None:
        raise NotFound("No webhook has this number.")
    return hook


def _show_errors(form: WebhookForm, error: ValidationError) -> None:
    """Put each of the service's field messages under its field."""
    for item in error.errors or [{"field": "name", "message": error.detail}]:
        target: Field = getattr(form, str(item.get("field")), form.name)
        target.errors = [*target.errors, str(item["message"])]


def _fields(form: WebhookForm) -> dict[str, Any]:
    return {"name": form.name.data or "", "url": form.url.data or "", "events": form.events.data or []}


def _saved(form: WebhookForm, action: str, verb: str, save: Callable[[], Webhook]) -> Webhook | None:
    """Run ``save``; audit and commit what it saved, or put its field errors on ``form`` (None)."""
    try:
        hook = save()
    except ValidationError as error:
        db.session.rollback()
        _show_errors(form, error)
        return None
    record(current_user, f"webhook.{action}", f"webhook:{hook.id}", f"{verb} webhook “{hook.name}”",
           url=hook.url, events=hook.event_list)  # fmt: skip
    db.session.commit()
    return hook


@admin.route("/webhooks", methods=["GET", "POST"])
@staff_required
def webhooks_page() -> str | Response:
    require(current_user, "manage_integrations")
    form = NewWebhookForm()
    if form.validate_on_submit():
        fields = _fields(form)
        hook = _saved(form, "create", "Added", lambda: create_webhook(**fields, secret=form.secret.data))
        if hook is not None:
            flash(f"Added webhook “{hook.name}”. Its secret is shown on its page.", "success")
            return redirect(url_for("admin.webhook_page", hook_id=hook.id))
    return render_template("admin/webhooks/list.html", hooks=webhooks(), form=form)


@admin.route("/webhooks/<int:hook_id>", methods=["GET", "POST"])
@staff_required
def webhook_page(hook_id: int) -> str | Response:
    require(current_user, "manage_integrations")
    hook = _hook(hook_id)
    form = WebhookForm(data={"name": hook.name, "url": hook.url, "events": hook.event_list})
    if form.validate_on_submit():
        fields = _fields(form)
        if _saved(form, "update", "Changed", lambda: update_webhook(hook, **fields)) is not None:
            flash(f"Saved webhook “{hook.name}”.", "success")
            return redirect(url_for("admin.webhook_page", hook_id=hook.id))
    return render_template("admin/webhooks/edit.html", hook=hook, form=form, deliveries=delivery_log(hook))


@admin.post("/webhooks/<int:hook_id>/disable")
@staff_required
def disable_webhook(hook_id: int) -> Response:
    return _switch(hook_id, on=False)


@admin.post("/webhooks/<int:hook_id>/enable")
@staff_required
def enable_webhook(hook_id: int) -> Response:
    return _switch(hook_id, on=True)


def _switch(hook_id: int, *, on: bool) -> Response:
    require(current_user, "manage_integrations")
    hook = _hook(hook_id)
    set_active(hook, on)
    word = "on" if on else "off"
    record(current_user, f"webhook.{'enable' if on else 'disable'}", f"webhook:{hook.id}",
           f"Switched {word} webhook “{hook.name}”")  # fmt: skip
    db.session.commit()
    more = "" if on else ": it gets no deliveries until you switch it on"
    flash(f"Switched {word} “{hook.name}”{more}.", "success")
    return redirect(url_for("admin.webhook_page", hook_id=hook.id))


@admin.post("/webhooks/<int:hook_id>/delete")
@staff_required
def delete_webhook_page(hook_id: int) -> Response:
    require(current_user, "manage_integrations")
    hook = _hook(hook_id)
    name = hook.name
    delete_webhook(hook)
    record(current_user, "webhook.delete", f"webhook:{hook_id}", f"Deleted webhook “{name}” and its log")
    db.session.commit()
    flash(f"Deleted webhook “{name}” and its delivery log.", "success")
    return redirect(url_for("admin.webhooks_page"))
