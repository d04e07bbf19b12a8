"""Links in account mail: built from ``CMS_PUBLIC_URL`` (or a frontend's URL template), never from the
request's Host header, which an attacker controls."""

from __future__ import annotations

from flask import current_app


def _link(template_key: str, path: str, token: str) -> str:
    template = current_app.config.get(template_key)
    if template:
        return str(template).replace("{token}", token)
    return f"{current_app.config['PUBLIC_URL']}{path}{token}"


def confirm_link(token: str) -> str:
    return _link("EMAIL_CONFIRM_URL", "/confirm/", token)


def reset_link(token: str) -> str:
    return _link("PASSWORD_RESET_URL", "/password/reset/", token)


def invite_link(token: str) -> str:
    return f"{current_app.config['PUBLIC_URL']}/invite/{token}"


def change_email_link(token: str) -> str:
    return f"{current_app.config['PUBLIC_URL']}/account/email/{token}"


def page_link(path: str) -> str:
    return f"{current_app.config['PUBLIC_URL']}{path}"
