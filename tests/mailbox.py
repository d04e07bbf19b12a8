"""A real SMTP server for tests (aiosmtpd on a free loopback port) and the messages it received."""

from __future__ import annotations

import re
import socket
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

_LINK = re.compile(r"https?://[^\s<>\"]+")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Delivered:
    """One message as the SMTP server received it."""

    recipients: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def text(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        assert part is not None, "the message has no text part"
        return str(part.get_content())

    @property
    def html(self) -> str:
        part = self.message.get_body(preferencelist=("html",))
        assert part is not None, "the message has no HTML part"
        return str(part.get_content())

    def links(self) -> list[str]:
        return _LINK.findall(self.text)

    def link(self, containing: str = "") -> str:
        """The one link in the text part containing ``containing``."""
        found = [link for link in self.links() if containing in link]
        assert len(found) == 1, f"expected one link with {containing!r}, found {found}"
        return found[0]


class Mailbox:
    """The aiosmtpd handler: keeps every message it is handed."""

    def __init__(self) -> None:
        self.messages: list[Delivered] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's hook name
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(Delivered(list(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"

    def clear(self) -> None:
        self.messages.clear()

    def to(self, address: str) -> list[Delivered]:
        return [m for m in self.messages if address in m.recipients]

    def last(self, address: str) -> Delivered:
        received = self.to(address)
        assert received, f"no mail reached {address}; got mail for {[m.recipients for m in self.messages]}"
        return received[-1]


class SmtpServer:
    def __init__(self) -> None:
        self.mailbox = Mailbox()
        self.port = free_port()
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()
