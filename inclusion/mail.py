"""The one way the app sends e-mail: invitations, password resets and the monthly report."""

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
    config = current_app.config
    recipients = [to] if isinstance(to, str) else list(to)
    if not recipients:
        raise MailError("No recipients to send to")
    message = EmailMessage()
    message["From"] = config["MAIL_DEFAULT_SENDER"]
    message["To"] = ", ".join(recipients)
    message["Subject"] = subject
    # Not quoted-printable: that would break the long links in invitations and resets across
    # lines ("=" soft breaks), and someone copying a link from the raw message would get half.
    message.set_content(body, cte="7bit" if body.isascii() else "8bit")
    for attachment in attachments:
        maintype, subtype = attachment.mimetype.split("/", 1)
        message.add_attachment(attachment.content, maintype=maintype, subtype=subtype, filename=attachment.filename)
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls(context=ssl.create_default_context())
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        server = f"{config['MAIL_SERVER']}:{config['MAIL_PORT']}"
        # SMTPException is an OSError too: only errors of reaching the server, not its refusals, mean "down".
        unreachable = not isinstance(error, smtplib.SMTPException) or isinstance(
            error, smtplib.SMTPConnectError | smtplib.SMTPServerDisconnected
        )
        raise (MailServerUnreachable if unreachable else MailError)(
            f"Could not send e-mail through {server}: {error}"
        ) from error
