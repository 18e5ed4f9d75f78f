"""Which browser origins may call the API (CORS_ORIGINS), with preflight for them."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware

if TYPE_CHECKING:
    from config.settings import Settings

__all__ = ["browser_origin_allowed", "cors_middleware"]

# Dev servers on this machine (any port) while developing; nothing else unless listed.
LOCAL_ORIGINS = r"https?://(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?"
ALLOWED_HEADERS = ["Authorization", "Content-Type", "Accept", "X-Sync-Token"]


def cors_middleware(settings: Settings) -> Middleware:
    """CORS for the listed origins; with none listed, localhost in development, none in production.

    Bearer tokens travel in a header, never in cookies, so credentials stay off.
    """
    listed = settings.cors_origins
    local = listed is None and not settings.production
    return Middleware(
        CORSMiddleware,
        allow_origins=listed or [],
        allow_origin_regex=LOCAL_ORIGINS if local else None,
        allow_methods=["GET", "POST"],
        allow_headers=ALLOWED_HEADERS,
        expose_headers=["Retry-After"],
        max_age=600,
    )


def browser_origin_allowed(settings: Settings, origin: str) -> bool:
    """The same rule for a page on ``origin`` opening a WebSocket (browsers send no preflight)."""
    if settings.cors_origins is not None:
        return origin.rstrip("/") in settings.cors_origins
    return not settings.production and re.fullmatch(LOCAL_ORIGINS, origin) is not None
