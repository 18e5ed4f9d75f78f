"""The GraphiQL page: vendored files only, each with its integrity, under a strict CSP."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from starlette.responses import HTMLResponse
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from schema.graphiql.assets import STATIC, assets, sri

__all__ = ["CONTENT_SECURITY_POLICY", "STATIC_PATH", "graphiql_page", "static_mount"]

STATIC_PATH = "/static/graphiql"
OWN_FILES = ("graphiql-page.css", "graphiql-start.js")  # ours, after the vendored ones
TEMPLATE = Path(__file__).with_name("page.html")

# Everything comes from the API's own origin; data: only for the fonts and icons GraphiQL's
# stylesheet embeds. No inline script or style, no framing, no form posts elsewhere.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ]
)


def _tag(url: str, integrity: str) -> str:
    if url.endswith(".css"):
        return f'    <link rel="stylesheet" href="{url}" integrity="{integrity}" />'
    return f'    <script src="{url}" integrity="{integrity}"></script>'


@cache
def _html() -> str:
    vendored = [(f"{STATIC_PATH}/vendor/{a.name}", a.sha384) for a in assets()]
    own = [(f"{STATIC_PATH}/{name}", sri((STATIC / name).read_bytes())) for name in OWN_FILES]
    tags = [_tag(url, integrity) for url, integrity in vendored + own]
    return TEMPLATE.read_text(encoding="utf-8").format(
        stylesheets="\n".join(t for t in tags if t.lstrip().startswith("<link")),
        scripts="\n".join(t for t in tags if t.lstrip().startswith("<script")),
    )


def graphiql_page() -> HTMLResponse:
    headers = {
        "Content-Security-Policy": CONTENT_SECURITY_POLICY,
        "Cache-Control": "no-cache",
        "X-Content-Type-Options": "nosniff",
    }
    return HTMLResponse(_html(), headers=headers)


def static_mount() -> Mount:
    return Mount(STATIC_PATH, StaticFiles(directory=STATIC), name="graphiql-static")
