"""The idle sweep: study sessions left open past the idle limit end at their last activity."""

from __future__ import annotations

from persistence.sql.study_sessions import closing_idle_sessions, idle_cutoff
from tasks.resources import resources

__all__ = ["close_idle_sessions_once"]


def close_idle_sessions_once(*, idle_seconds: float) -> None:
    with resources().sessions.begin() as session:
        session.execute(closing_idle_sessions(idle_cutoff(idle_seconds)))
