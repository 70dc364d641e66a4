"""The champion's home panel: the unfinished session (if any) and the sessions they logged lately."""

from dataclasses import dataclass

from inclusion.auth.models import User
from inclusion.sessions import drafts, queries
from inclusion.sessions.filters import SessionFilters

RECENT_SESSIONS = 5


@dataclass(frozen=True)
class ChampionPanel:
    draft_return_to: str | None  # where the half-entered session resumes, if there is one
    recent: list  # rows of queries.list_sessions, newest first
    total: int  # every session the champion ran


def champion_panel(user: User) -> ChampionPanel:
    results = queries.list_sessions(user, SessionFilters(champion_id=user.id))
    return ChampionPanel(drafts.draft_return_to(), list(results.rows[:RECENT_SESSIONS]), results.total)
