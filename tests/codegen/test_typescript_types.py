"""Frontends generate TypeScript from the exported SDL: the contract's operations (both files,
those the API offers already) generate and type-check (graphql-codegen with
typescript-operations, then tsc --strict).

The npm packages come from this folder's package-lock.json (`npm ci`), installed once per lock
into var/cache/codegen/ and reused.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from graphql import print_ast

from tests.support.contract import CONTRACTS, contract_operations
from tests.unit.test_contract import NOT_YET_BUILT

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
SDL = ROOT / "schema" / "schema.graphql"
CACHE = ROOT / "var" / "cache" / "codegen"
NPM_TIMEOUT_SECONDS = 600


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=NPM_TIMEOUT_SECONDS, check=False
    )


def _installed() -> Path:
    """node_modules for the committed lock, installed with `npm ci` unless already there."""
    lock = (HERE / "package-lock.json").read_bytes()
    target = CACHE / hashlib.sha256(lock).hexdigest()[:16]
    if (target / "node_modules" / ".bin" / "tsc").exists():
        return target
    if shutil.which("npm") is None:
        pytest.fail("npm is needed to check the generated TypeScript types (Debian: nodejs, npm)")
    CACHE.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=CACHE, prefix="installing-"))
    for name in ("package.json", "package-lock.json"):
        shutil.copy(HERE / name, staging / name)
    done = _run(["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"], staging)
    assert done.returncode == 0, done.stderr[-4000:]
    try:
        staging.rename(target)
    except OSError:  # another run installed the same lock meanwhile
        shutil.rmtree(staging, ignore_errors=True)
    return target


@pytest.fixture(scope="module")
def packages() -> Path:
    return _installed()


def _built_operations() -> str:
    """Every operation of both contract files that the API offers already, as written, and
    the subscriptions a frontend opens (live.graphql)."""
    built = [
        print_ast(operation)
        for path in CONTRACTS
        for name, operation in contract_operations(path).items()
        if name not in NOT_YET_BUILT
    ]
    return "\n\n".join([*built, (HERE / "live.graphql").read_text()])


def _codegen_config(out: Path) -> dict[str, object]:
    (out / "operations.graphql").write_text(_built_operations())
    return {
        "schema": str(SDL),
        "documents": [str(out / "operations.graphql")],
        "generates": {
            str(out / "generated" / "operations.ts"): {
                "plugins": ["typescript", "typescript-operations"],
                "config": {
                    "strictScalars": True,
                    "scalars": {"DateTime": "string", "JSON": "unknown"},
                    "enumsAsTypes": True,
                    "avoidOptionals": {"field": True},
                },
            }
        },
    }


def _tsconfig(out: Path) -> dict[str, object]:
    return {
        "compilerOptions": {
            "strict": True,
            "noEmit": True,
            "target": "ES2022",
            "module": "ES2022",
            "moduleResolution": "bundler",
            "skipLibCheck": True,
        },
        "files": [str(out / "generated" / "operations.ts"), str(out / "uses.ts")],
    }


def test_the_contract_operations_generate_typescript_that_type_checks(
    packages: Path, tmp_path: Path
) -> None:
    # given the exported SDL, the contract's operations and a frontend module reading them
    (tmp_path / "codegen.json").write_text(json.dumps(_codegen_config(tmp_path)))
    (tmp_path / "tsconfig.json").write_text(json.dumps(_tsconfig(tmp_path)))
    shutil.copy(HERE / "uses.ts", tmp_path / "uses.ts")
    bin_dir = packages / "node_modules" / ".bin"
    # when graphql-codegen generates the operation types
    config = str(tmp_path / "codegen.json")  # run from the packages so the plugins resolve
    generated = _run([str(bin_dir / "graphql-codegen"), "--config", config], packages)
    assert generated.returncode == 0, generated.stdout[-4000:] + generated.stderr[-4000:]
    source = (tmp_path / "generated" / "operations.ts").read_text()
    assert "export type DashboardQuery = " in source
    # then tsc --strict accepts them and the frontend module that reads them
    checked = _run([str(bin_dir / "tsc"), "-p", "tsconfig.json"], tmp_path)
    assert checked.returncode == 0, checked.stdout[-4000:]


def test_a_nullable_relation_would_fail_the_type_check(packages: Path, tmp_path: Path) -> None:
    # given generated types where a relation the frontend reads directly may be null
    (tmp_path / "generated").mkdir()
    (tmp_path / "generated" / "operations.ts").write_text(
        "export type DashboardQuery = { me: { progress: { edges: Array<{ node: "
        "{ concept: { name: string } | null } }> } | null, quizAttempts: null, "
        "enrolledPaths: [], skillMastery: [] } | null };\n"
        "export type LearningPathQuery = { learningPath: null };\n"
        "export type MyProgressChangedSubscription = { myProgressChanged: { changed: [] } };\n"
        "export type RecommendationsChangedSubscription = { recommendationsChanged: [] };\n"
    )
    shutil.copy(HERE / "uses.ts", tmp_path / "uses.ts")
    (tmp_path / "tsconfig.json").write_text(json.dumps(_tsconfig(tmp_path)))
    # when tsc checks the frontend module
    checked = _run(
        [str(packages / "node_modules" / ".bin" / "tsc"), "-p", "tsconfig.json"], tmp_path
    )
    # then it refuses it: the check really depends on non-null relations
    assert checked.returncode != 0
    assert "possibly 'null'" in checked.stdout
