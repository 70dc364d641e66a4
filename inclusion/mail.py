"""The one way the app sends e-mail: invitations, password resets, the monthly report and the reminders."""

import os
import smtplib
import ssl
import sys
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from uuid import uuid4

from flask import current_app

OUTBOX_FOLDER = "outbox"  # inside the instance folder
OUTBOX_SHOWN = 50


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str = "text/csv"


class MailError(RuntimeError):
    """The message could not be handed to the SMTP server."""


class MailServerUnreachable(MailError):
    """The SMTP server did not answer (down, wrong address or port, a firewall): no address is at fault."""


def send_email(to: list[str] | str, subject: str, body: str, attachments: tuple[Attachment, ...] = ()) -> None:
    """Send a plain-text message through the SMTP server of the MAIL_* settings."""
    with Mailer() as mailer:
        mailer.send(to, subject, body, attachments)


def _message(recipients: list[str], subject: str, body: str, attachments: tuple[Attachment, ...]) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = ", ".join(recipients)
    message["Subject"] = subject
    # Not quoted-printable: that would break the long links in invitations and resets across
    # lines ("=" soft breaks), and someone copying a link from the raw message would get half.
    message.set_content(body, cte="7bit" if body.isascii() else "8bit")
    for attachment in attachments:
        maintype, subtype = attachment.mimetype.split("/", 1)
        message.add_attachment(attachment.content, maintype=maintype, subtype=subtype, filename=attachment.filename)
    return message


class Mailer:
    """One SMTP connection for many messages (the weekly reminders): `with Mailer() as m: m.send(...)`.

    It connects on the first message; a server that closes the connection between messages (relays
    limit messages per connection) is reconnected to once for the message in hand.
    """

    def __init__(self):
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> "Mailer":
        return self

    def __exit__(self, *_exc) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (OSError, smtplib.SMTPException):
                self._smtp.close()
            self._smtp = None

    def _connect(self) -> smtplib.SMTP:
        config = current_app.config
        smtp = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30)
        try:
            if config["MAIL_USE_TLS"]:
                smtp.starttls(context=ssl.create_default_context())
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        except BaseException:
            smtp.close()
            raise
        return smtp

    def send(self, to: list[str] | str, subject: str, body: str, attachments: tuple[Attachment, ...] = ()) -> None:
        """Send one message (raises MailServerUnreachable, or MailError for a refusal)."""
        recipients = [to] if isinstance(to, str) else list(to)
        if not recipients:
            raise MailError("No recipients to send to")
        message = _message(recipients, subject, body, attachments)
        if current_app.config["MAIL_BACKEND"] == "outbox":  # development (docs/data-rights.md)
            _save_to_outbox(message)
            return
        try:
            reused = self._smtp is not None
            if self._smtp is None:
                self._smtp = self._connect()
            try:
                self._smtp.send_message(message)
            except smtplib.SMTPServerDisconnected:
                if not reused:
                    raise
                self._smtp = self._connect()
                self._smtp.send_message(message)
        except (OSError, smtplib.SMTPException) as error:
            if isinstance(error, smtplib.SMTPServerDisconnected) or not isinstance(error, smtplib.SMTPException):
                self._smtp = None  # unusable now
            config = current_app.config
            server = f"{config['MAIL_SERVER']}:{config['MAIL_PORT']}"
            # SMTPException is an OSError too: only errors of reaching the server, not its refusals, mean "down".
            unreachable = not isinstance(error, smtplib.SMTPException) or isinstance(
                error, smtplib.SMTPConnectError | smtplib.SMTPServerDisconnected
            )
            raise (MailServerUnreachable if unreachable else MailError)(
                f"Could not send e-mail through {server}: {error}"
            ) from error


def outbox_path() -> Path:
    return Path(current_app.config["MAIL_OUTBOX_DIR"] or Path(current_app.instance_path) / OUTBOX_FOLDER)


def _save_to_outbox(message: EmailMessage) -> None:
    """Development: keep the message as a .eml file (any worker or command can read it) and say so."""
    folder = outbox_path()
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{datetime.now():%Y%m%d-%H%M%S-%f}-{uuid4().hex[:8]}.eml"
    (folder / name).write_bytes(message.as_bytes())
    print(
        f"[outbox] e-mail to {message['To']}: {message['Subject']!r} saved as {folder / name}"
        + (" (read it at /dev/mail)" if current_app.config["DEV_MAIL_PAGE"] else ""),
        file=sys.stderr,
    )
    if body := message.get_body(("plain",)):
        print(body.get_content(), file=sys.stderr)


@dataclass(frozen=True)
class OutboxMessage:
    name: str
    saved_at: datetime
    to: str
    subject: str
    body: str
    attachments: list[str]


def read_outbox(limit: int = OUTBOX_SHOWN) -> list[OutboxMessage]:
    """The development outbox, newest first."""
    folder = outbox_path()
    if not folder.is_dir():
        return []
    messages = []
    for path in sorted(folder.glob("*.eml"), reverse=True)[:limit]:
        parsed = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
        body = parsed.get_body(("plain",))
        messages.append(
            OutboxMessage(
                name=path.name,
                saved_at=datetime.fromtimestamp(os.path.getmtime(path)),
                to=str(parsed["To"]),
                subject=str(parsed["Subject"]),
                body=body.get_content() if body else "",
                attachments=[part.get_filename() or "attachment" for part in parsed.iter_attachments()],
            )
        )
    return messages
