"""A real SMTP server on loopback (aiosmtpd) for tests of the e-mail the app sends.

Use the `mail_server` fixture (import it into a test module or conftest): the app's MAIL_*
settings point at the server for the test, and `mail_server.messages` holds what arrived.
"""

import email
import email.policy
import re
import socket
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Collector:
    def __init__(self):
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.refused: set[str] = set()  # addresses the server answers "no such mailbox" for

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 (aiosmtpd's hook name)
        if address.lower() in self.refused:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted for delivery"


class MailServer:
    """A running loopback SMTP server and the messages it has received."""

    def __init__(self):
        self.port = free_port()
        self._collector = _Collector()
        self._controller = Controller(self._collector, hostname="127.0.0.1", port=self.port)
        self._running = False

    def start(self) -> "MailServer":
        self._controller.start()
        self._running = True
        return self

    def stop(self) -> None:
        """Stop listening (a test may do this to see how the app copes with a mail server that is down)."""
        if self._running:
            self._controller.stop()
            self._running = False

    @property
    def messages(self) -> list[EmailMessage]:
        return self._collector.messages

    @property
    def envelopes(self) -> list[tuple[str, list[str]]]:
        return self._collector.envelopes

    def refuse(self, address: str) -> None:
        """Answer 550 for this recipient, as a real server does for an address that does not exist."""
        self._collector.refused.add(address.lower())

    def messages_to(self, address: str) -> list[EmailMessage]:
        return [message for message in self.messages if address.lower() in message["To"].lower()]

    def clear(self) -> None:
        self.messages.clear()
        self.envelopes.clear()


def body_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def links_in(message: EmailMessage) -> list[str]:
    return re.findall(r"https?://\S+", body_of(message))


def only_link_in(message: EmailMessage) -> str:
    links = links_in(message)
    assert len(links) == 1, links
    return links[0]


@pytest.fixture
def mail_server(app):
    """Point the app's mail settings at a fresh loopback SMTP server for one test."""
    server = MailServer().start()
    saved = {key: app.config[key] for key in ("MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS", "MAIL_USERNAME")}
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port, MAIL_USE_TLS=False, MAIL_USERNAME=None)
    try:
        yield server
    finally:
        app.config.update(saved)
        server.stop()
