"""The cookie session, minus one header: public responses must stay cacheable by shared caches."""

from __future__ import annotations

from flask import Flask, Response
from flask.sessions import SecureCookieSessionInterface, SessionMixin


class PublicAwareSessionInterface(SecureCookieSessionInterface):
    """Flask adds ``Vary: Cookie`` whenever anything looked at the session, and Flask-Login looks on
    every response. A response marked ``Cache-Control: public`` is the same for every visitor, so
    when the session is empty and unchanged it gets no ``Vary: Cookie`` and CDNs can share it."""

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        if response.cache_control.public and not session and not session.modified:
            session.accessed = False
        super().save_session(app, session, response)
