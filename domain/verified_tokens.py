"""Access tokens verified once each, not on every request that carries them.

Checking a token's signature and claims (PyJWT) was a tenth of what the cheapest request costs,
and a client sends the same token with every request until it expires. What a well-signed
token says never changes, and only its expiry depends on the time, so the claims of tokens
that passed are kept (a bounded, least-recently-used set) and a kept token is trusted again
only while it has not expired. Anything that failed is checked in full every time, so a flood
of forged tokens fills nothing. Whether the token still counts (its user active, its generation
and sign-in current) is not decided here: that is asked on every request
(persistence/sql/principals.py).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from cachetools import LRUCache

from domain.security import expired_token, read_token_expiring

if TYPE_CHECKING:
    from collections.abc import Callable

    from domain.security import AccessToken

__all__ = ["KEPT_TOKENS", "VerifiedTokens"]

KEPT_TOKENS = 10_000


class VerifiedTokens:
    def __init__(
        self, secret: str, *, size: int = KEPT_TOKENS, clock: Callable[[], float] = time.time
    ) -> None:
        self._secret = secret
        self._clock = clock
        self._kept: LRUCache[str, tuple[AccessToken, float]] = LRUCache(maxsize=size)

    def read(self, token: str) -> AccessToken:
        """The claims of a well-signed, unexpired token; TokenRejectedError for anything else."""
        kept = self._kept.get(token)
        if kept is not None:
            claims, expires = kept
            if self._clock() < expires:
                return claims
            del self._kept[token]
            raise expired_token()  # as read_token refuses an expired token
        claims, expires = read_token_expiring(token, secret=self._secret)
        self._kept[token] = (claims, expires)
        return claims
