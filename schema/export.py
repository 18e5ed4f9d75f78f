"""Write the SDL to schema/schema.graphql, or (--check) fail when that file is out of date."""

from __future__ import annotations

import sys
from pathlib import Path

from schema.sdl import sdl_text

SDL_FILE = Path(__file__).with_name("schema.graphql")


def main(argv: list[str]) -> int:
    text = sdl_text()
    if "--check" in argv:
        if not SDL_FILE.exists() or SDL_FILE.read_text() != text:
            print("schema/schema.graphql is out of date: run `make schema-export`", file=sys.stderr)
            return 1
        return 0
    SDL_FILE.write_text(text)
    print(f"wrote {SDL_FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
