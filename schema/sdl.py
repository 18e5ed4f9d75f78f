"""The schema as SDL text, for the exported schema file and client generators."""

from __future__ import annotations

from schema.schema import build_schema

__all__ = ["sdl_text"]


def sdl_text() -> str:
    return build_schema().as_str() + "\n"
