"""Splitting a .graphql file into trusted operations, each with the fragments it uses."""

from __future__ import annotations

import hashlib

import pytest

from domain.trusted_documents import DocumentError, document_hash, normalized, split_operations

SOURCE = """
# comments and layout do not matter
query Me { me { ...Who } }
mutation Login($u: String!, $p: String!) { login(username: $u, password: $p) { token } }
fragment Who on User { id ...Name }
fragment Name on User { username }
fragment Unused on User { id }
"""


def test_each_operation_carries_the_fragments_it_uses_transitively_and_no_others() -> None:
    me, login = split_operations(SOURCE)

    assert (me.name, me.kind, login.name, login.kind) == ("Me", "query", "Login", "mutation")
    assert "fragment Who on User" in me.body
    assert "fragment Name on User" in me.body
    assert "Unused" not in me.body
    assert "fragment" not in login.body


def test_an_operation_id_is_the_sha256_of_its_printed_text() -> None:
    (me, _) = split_operations(SOURCE)

    assert me.id == hashlib.sha256(me.body.encode()).hexdigest() == document_hash(me.body)
    assert split_operations(SOURCE.replace("{", "{\n\n"))[0].id == me.id


def test_the_same_document_laid_out_otherwise_normalizes_to_the_same_text() -> None:
    assert normalized("query A {\n\n  me { id } # why\n}") == normalized("query A { me { id } }")


@pytest.mark.parametrize(
    ("source", "problem"),
    [("{ me { id } }", "no name"), ("query A { ...Gone }", "fragment Gone")],
)
def test_anonymous_operations_and_missing_fragments_are_refused(source: str, problem: str) -> None:
    with pytest.raises(DocumentError, match=problem):
        split_operations(source)
