"""Trusted documents: each named operation of a .graphql file as the text clients send and its hash.

An operation's document is the operation and the fragments it uses (transitively), printed by
graphql-core, so the same operation always gets the same text and the same sha256, whatever
the file's layout or comments.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    Node,
    OperationDefinitionNode,
    parse,
    print_ast,
    visit,
)
from graphql.language import Visitor

__all__ = ["DocumentError", "TrustedOperation", "document_hash", "normalized", "split_operations"]


class DocumentError(ValueError):
    """A file that cannot become trusted operations; the message says where and why."""


def document_hash(text: str) -> str:
    """The sha256 (hex) of a document's text: the id APQ and trusted documents share."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class TrustedOperation:
    name: str
    kind: str  # query, mutation or subscription
    body: str

    @property
    def id(self) -> str:
        return document_hash(self.body)


class _Spreads(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def enter_fragment_spread(self, node: FragmentSpreadNode, *_: object) -> None:
        self.names.add(node.name.value)


def _spread_names(node: Node) -> set[str]:
    spreads = _Spreads()
    visit(node, spreads)
    return spreads.names


def _fragments_used(node: Node, fragments: dict[str, FragmentDefinitionNode]) -> list[str]:
    used: set[str] = set()
    pending = _spread_names(node)
    while pending:
        name = pending.pop()
        if name in used:
            continue
        if name not in fragments:
            raise DocumentError(f"fragment {name} is used but not defined")
        used.add(name)
        pending |= _spread_names(fragments[name])
    return sorted(used)


def split_operations(source: str) -> list[TrustedOperation]:
    """Every operation of ``source`` with the fragments it needs; all must be named."""
    document = parse(source)  # GraphQLSyntaxError names line and column
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    found = []
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        if definition.name is None:
            line = definition.loc.source.get_location(definition.loc.start).line  # type: ignore[union-attr]
            raise DocumentError(f"the operation on line {line} has no name: name it")
        needed = [fragments[name] for name in _fragments_used(definition, fragments)]
        body = print_ast(DocumentNode(definitions=(definition, *needed)))
        found.append(TrustedOperation(definition.name.value, definition.operation.value, body))
    return found


def normalized(text: str) -> str:
    """``text`` printed the way trusted documents are (raises GraphQLError when it won't parse)."""
    return print_ast(parse(text, max_tokens=10_000))
