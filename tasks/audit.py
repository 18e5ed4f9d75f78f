"""The audit log's retention: entries older than AUDIT_RETENTION_DAYS are purged hourly."""

from __future__ import annotations

import logging

from persistence.sql.audit import purge_expired_entries
from tasks.resources import resources

__all__ = ["AUDIT_PURGE_INTERVAL_SECONDS", "purge_audit_log_once"]

logger = logging.getLogger(__name__)
AUDIT_PURGE_INTERVAL_SECONDS = 3600.0


def purge_audit_log_once(*, retention_days: int) -> int:
    with resources().sessions.begin() as session:
        purged = purge_expired_entries(session, retention_days=retention_days)
    if purged:
        logger.info("audit log: purged %d entries older than %d days", purged, retention_days)
    return purged
