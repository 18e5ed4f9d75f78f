"""The vendored GraphiQL files are the ones the lock pins, and the page names them with SRI."""

from __future__ import annotations

import base64
import hashlib

import pytest

from schema.graphiql.assets import altered_assets, assets
from schema.graphiql.page import CONTENT_SECURITY_POLICY, graphiql_page
from schema.graphiql.vendor import IntegrityError, tarball_url, verify_integrity


def test_every_vendored_file_matches_the_hash_the_lock_records() -> None:
    assert altered_assets() == []
    assert {a.package for a in assets()} == {
        "react",
        "react-dom",
        "graphiql",
        "@graphiql/plugin-explorer",
    }


def test_the_page_loads_every_vendored_file_with_its_integrity_from_its_own_origin() -> None:
    page = graphiql_page()
    html = bytes(page.body).decode()

    for asset in assets():
        assert (
            f'href="/static/graphiql/vendor/{asset.name}" integrity="{asset.sha384}"' in html
            or (f'src="/static/graphiql/vendor/{asset.name}" integrity="{asset.sha384}"' in html)
        )
    assert "http://" not in html
    assert "https://" not in html
    assert page.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "script-src 'self';" in CONTENT_SECURITY_POLICY


def test_a_tarball_is_accepted_only_with_the_integrity_the_registry_published() -> None:
    tarball = b"package bytes"
    integrity = "sha512-" + base64.b64encode(hashlib.sha512(tarball).digest()).decode()

    verify_integrity(tarball, integrity)
    with pytest.raises(IntegrityError):
        verify_integrity(tarball + b"!", integrity)
    with pytest.raises(IntegrityError):
        verify_integrity(tarball, "sha1-" + integrity.removeprefix("sha512-"))


def test_scoped_packages_drop_their_scope_from_the_tarball_name() -> None:
    registry = "https://registry.npmjs.org"

    assert tarball_url(registry, "@graphiql/plugin-explorer", "1.0.2") == (
        "https://registry.npmjs.org/@graphiql/plugin-explorer/-/plugin-explorer-1.0.2.tgz"
    )
    assert tarball_url(registry, "react", "18.2.0").endswith("/react/-/react-18.2.0.tgz")
