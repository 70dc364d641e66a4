"""/dev/mail: the development outbox, so a demo's invitations and password resets can be completed.

Registered by create_app only when DEV_MAIL_PAGE is set (DevelopmentConfig), never for ProductionConfig.
"""

import re

from flask import render_template
from markupsafe import Markup, escape

from inclusion.auth.decorators import public
from inclusion.mail import read_outbox
from inclusion.routing import BlueprintRoutes

routes = BlueprintRoutes()
_LINK = re.compile(r"https?://[^\s<>\"]+")


def linked(text: str) -> Markup:
    """The message's text, escaped, with its web addresses made links (an invitation's, a reset's)."""
    parts, last = [], 0
    for match in _LINK.finditer(text):
        parts.append(escape(text[last : match.start()]))
        parts.append(Markup('<a class="govuk-link" href="{0}">{0}</a>').format(match.group(0)))  # format escapes
        last = match.end()
    parts.append(escape(text[last:]))
    return Markup("").join(parts)


@routes.get("/dev/mail")
@public  # development only: the invited person has no account yet when they open their invitation
def dev_mail():
    return render_template("core/dev_mail.html", messages=read_outbox(), linked=linked)
