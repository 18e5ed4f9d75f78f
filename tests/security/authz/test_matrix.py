"""Every contract operation for every kind of caller: the expected outcome, and nothing written
by a refusal. A refusal reads the same for someone else's data as for data that does not exist.
Every mutation a teacher or an admin may run leaves an audit entry named after it, so a new
mutation that writes outside the audited path fails here.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from graphql import GraphQLSchema, OperationDefinitionNode, parse, print_ast, validate

from schema.schema import build_schema
from tests.security.authz.audit import (
    AUDITED_CALLERS,
    AUTHENTICATION,
    NAMED_ACTIONS,
    AuditMark,
    mutation_field,
)
from tests.security.authz.matrix import (
    ACTORS,
    CALLER,
    MATRIX,
    OK,
    SIDE,
    Row,
    caller_name,
    outcome_of_mutation,
)
from tests.security.authz.snapshot import fingerprint
from tests.security.authz.world import PASSWORD

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from tests.security.authz.stage import Stage
    from tests.support.api import Api

CONTRACTS = sorted((Path(__file__).parents[2] / "contract").glob("*.graphql"))


@cache
def contract_documents() -> dict[str, str]:
    """Every named operation of every contract file, as the frontend sends it."""
    found: dict[str, str] = {}
    for path in CONTRACTS:
        for definition in parse(path.read_text(encoding="utf-8")).definitions:
            if isinstance(definition, OperationDefinitionNode) and definition.name:
                assert definition.name.value not in found, f"{definition.name.value} twice"
                found[definition.name.value] = print_ast(definition)
    return found


@cache
def graphql_schema() -> GraphQLSchema:
    return build_schema()._schema


def offered(name: str) -> bool:
    """Whether the live schema offers the operation (a newer contract may run ahead of it)."""
    return not validate(graphql_schema(), parse(contract_documents()[name]))


def test_every_offered_contract_operation_has_a_row_in_the_matrix() -> None:
    wanted = {name for name in contract_documents() if offered(name)}
    assert wanted - set(MATRIX) == set(), "add a row to tests/security/authz/matrix.py for these"
    assert set(MATRIX) - set(contract_documents()) == set(), "rows for no contract operation"


CASES = [
    pytest.param(row, actor, id=f"{name}-{actor}")
    for name, row in MATRIX.items()
    for actor in ACTORS
]


async def signed_in(api: Api, stage: Stage, username: str | None) -> None:
    """The caller's token, from a login the first time in this world."""
    api.token = None
    if username is not None and username not in stage.tokens:
        stage.tokens[username] = await api.sign_in(username, PASSWORD)
    api.token = stage.tokens.get(username or "")


@pytest.mark.parametrize(("row", "actor"), CASES)
async def test_the_caller_gets_the_expected_outcome_and_a_refusal_writes_nothing(
    api: Api, engine: Engine, stage: Stage, row: Row, actor: str
) -> None:
    if not offered(row.operation):
        pytest.skip(f"the schema does not offer {row.operation} yet")
    # given the world and the caller signed in
    world = stage.ready()
    await signed_in(api, stage, caller_name(actor, world))
    before = fingerprint(engine)
    audit = AuditMark.now(engine)
    stage.dirty = True  # until this case is known to have written nothing
    # when the caller sends the operation with ids of their own or someone else's data
    variables = row.variables(world, world.side(SIDE[actor]))
    body = await api.send(contract_documents()[row.operation], variables)
    # then the outcome is the one the matrix expects
    outcome = row.observe(body, world)
    assert outcome == row.expect[actor], body
    # and the audit log holds the write of a teacher or an admin, and nothing else
    username = caller_name(actor, world)
    _check_audit(
        audit, actor=actor, outcome=outcome, variables=variables, username=username, row=row
    )
    after = fingerprint(engine)
    changed = sorted(name for name in before if before[name] != after.get(name))
    if row.observe is not outcome_of_mutation or outcome != OK:
        # and a read or a refused write wrote nothing: no row, no outbox event
        assert changed == []
    else:
        # and an allowed write did write (so the case proves something)
        assert bool(changed) != (actor in row.idempotent_for), changed
    if outcome == "FORBIDDEN" and SIDE[actor] == "other":
        # and the refusal is the same as for ids that exist nowhere
        missing = row.variables(world, world.side("missing"))
        unknown = await api.send(contract_documents()[row.operation], missing)
        assert _errors(unknown) == _errors(body)
        assert fingerprint(engine) == after
    stage.dirty = bool(changed)


def _errors(body: dict[str, Any]) -> Any:
    if body.get("errors"):
        return [(e.get("extensions"), e["message"]) for e in body["errors"]]
    (payload,) = body["data"].values()
    return payload["errors"]


def _check_audit(
    audit: AuditMark,
    *,
    actor: str,
    outcome: str,
    variables: dict[str, Any],
    username: str | None,
    row: Row,
) -> None:
    """One entry for a teacher's or an admin's write and for an authentication event, none
    for a learner's write or a read; a refusal leaves at most a failure's entry."""
    action = mutation_field(contract_documents()[row.operation])
    entries = audit.entries_since()
    if action is None:
        assert entries == []
    elif outcome != OK:
        assert all(name.endswith("_failed") for name, _ in entries), entries
    elif action in AUTHENTICATION:
        assert [name for name, _ in entries] in [[named] for named in AUTHENTICATION[action]]
        if action == "login":
            assert entries[0][1] == variables["username"]
    elif CALLER[actor] in AUDITED_CALLERS:
        assert [name for _, name in entries] == [username], entries
        assert entries[0][0] in NAMED_ACTIONS.get(action, (action,)), entries
    else:
        assert entries == []
