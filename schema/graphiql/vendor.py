"""Vendor GraphiQL's pinned npm packages into schema/graphiql/static/vendor.

    uv run python -m schema.graphiql.vendor           # fetch, verify, extract, record file hashes
    uv run python -m schema.graphiql.vendor --check   # offline: the files on disk match the lock

Each package's tarball is checked against the `integrity` the npm registry publishes for it
(kept in vendor.lock.json) before anything is extracted; the extracted files' sha384 values go
into the lock, and the page carries them as subresource-integrity attributes.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import sys
import tarfile
import urllib.request
from typing import Any

from schema.graphiql.assets import LOCK, VENDORED, altered_assets, read_lock, sri

__all__ = ["main", "tarball_url", "verify_integrity"]


class IntegrityError(RuntimeError):
    """A downloaded tarball does not match the integrity the lock holds for it."""


def tarball_url(registry: str, name: str, version: str) -> str:
    """The registry's tarball address: scoped packages drop their scope from the file name."""
    return f"{registry}/{name}/-/{name.rsplit('/', 1)[-1]}-{version}.tgz"


def verify_integrity(content: bytes, integrity: str) -> None:
    algorithm, _, expected = integrity.partition("-")
    if algorithm != "sha512":
        raise IntegrityError(f"unsupported integrity algorithm {algorithm!r}")
    actual = base64.b64encode(hashlib.sha512(content).digest()).decode()
    if actual != expected:
        raise IntegrityError(f"tarball integrity sha512-{actual} is not {integrity}")


def _download(url: str) -> bytes:
    if not url.startswith("https://"):
        raise ValueError(f"refusing a non-https download: {url}")
    with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 (https only, above)
        body: bytes = response.read()
        return body


def _vendor_package(registry: str, package: dict[str, Any]) -> None:
    url = tarball_url(registry, package["name"], package["version"])
    tarball = _download(url)
    verify_integrity(tarball, package["integrity"])
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        for source, entry in package["files"].items():
            member = archive.extractfile(f"package/{source}")
            if member is None:
                raise FileNotFoundError(f"{package['name']}: no file {source}")
            content = member.read()
            (VENDORED / entry["name"]).write_bytes(content)
            entry["sha384"] = sri(content)
    print(f"{package['name']}@{package['version']}: integrity ok, {len(package['files'])} files")


def vendor() -> None:
    lock = read_lock()
    VENDORED.mkdir(parents=True, exist_ok=True)
    for package in lock["packages"]:
        _vendor_package(lock["registry"], package)
    LOCK.write_text(json.dumps(lock, indent=2) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only verify the files on disk")
    args = parser.parse_args(argv)
    if not args.check:
        vendor()
    altered = altered_assets()
    for name in altered:
        print(f"{name}: missing or not what vendor.lock.json records", file=sys.stderr)
    return 1 if altered else 0


if __name__ == "__main__":
    sys.exit(main())
