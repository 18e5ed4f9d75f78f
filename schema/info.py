"""The Info type every resolver receives, bound to our Context."""

from __future__ import annotations

from typing import TypeAlias

import strawberry

from resolvers.context import Context

__all__ = ["Info"]

Info: TypeAlias = strawberry.Info[Context, None]
