"""Permission checks inside services, behind the views' own role guards (defence in depth)."""

from inclusion.auth.models import User
from inclusion.extensions import db


def require_actor_role(acting_user_id: int | None, *roles: str) -> None:
    """Refuse unless the acting user is active and has one of `roles`.

    `None` means the command line or the system itself (set-up scripts, migrations), which the
    person running it is trusted for by having shell access.
    """
    if acting_user_id is None:
        return
    actor = db.session.get(User, acting_user_id)
    if actor is None or not actor.active or actor.role not in roles:
        raise PermissionError(f"This needs one of the roles: {', '.join(roles)}")
