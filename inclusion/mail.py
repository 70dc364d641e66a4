"""The one way the app sends e-mail: invitations, password resets, the monthly report and the reminders."""

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage

from flask import current_app


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
