"""The role home pages: which panels each role sees, and the one function of a package that feeds each."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from inclusion.auth.models import User
from inclusion.devices.views import devices_home
from inclusion.followups.home import follow_up_home
from inclusion.imports import home as imports_home
from inclusion.learners import home as learners_home
from inclusion.regular.weeks import for_champion_home as regular_weeks
from inclusion.reports import home as reports_home
from inclusion.sessions import home as sessions_home


@dataclass(frozen=True)
class Panel:
    """A block of a home page: `source(user)` returns what its include template shows (None: nothing)."""

    name: str
    source: Callable[[User], Any]


# role -> its panels. The home template of the role (core/home/<role>.html) has a section per
# panel that includes the package's `_home_<role>.html` and reads `panels.<name>`. Adding a panel
# is one line here and one section there (docs/architecture.md, "The home pages").
PANELS: dict[str, tuple[Panel, ...]] = {
    "champion": (
        Panel("sessions", sessions_home.champion_panel),
        Panel("regular", regular_weeks),
        Panel("follow_ups", follow_up_home),
    ),
    "coordinator": (
        Panel("figures", reports_home.month_figures),
        Panel("duplicates", learners_home.duplicates_queue),
        Panel("imports", imports_home.pending_imports),
        Panel("follow_ups", follow_up_home),
        Panel("devices", devices_home),
    ),
}
PANELS["admin"] = PANELS["coordinator"]
HOME_TEMPLATES = {"champion": "core/home/champion.html", "coordinator": "core/home/coordinator.html"}
HOME_TEMPLATES["admin"] = HOME_TEMPLATES["coordinator"]


def home_template(user: User) -> str:
    return HOME_TEMPLATES.get(user.role, "core/home.html")


def panels_for(user: User) -> dict[str, Any]:
    """Each panel's data for this user, by panel name."""
    return {panel.name: panel.source(user) for panel in PANELS.get(user.role, ())}
