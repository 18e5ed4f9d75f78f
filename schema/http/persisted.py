"""Which document a request runs: its own text, an APQ hash, or a trusted document.

- Automatic persisted queries (Apollo Client, urql): `extensions.persistedQuery.sha256Hash`
  alone runs the document stored under that hash, or answers `PersistedQueryNotFound`; the
  client then sends hash and text, the text runs and, once it has parsed and validated, is kept.
- Trusted documents: `documentId` (or an APQ hash) names an operation of the manifest. With
  PERSISTED_ONLY=true nothing else runs: a text must be a manifest operation's (as printed, or
  the same document with other spacing and comments), anything else is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cross_web import HTTPException
from graphql import GraphQLError
from redis.asyncio import Redis
from strawberry.types import ExecutionResult

from config.settings import Settings, SettingsError
from domain.trusted_documents import document_hash, normalized
from persistence.operations.apq import PersistedQueryCache
from persistence.operations.manifest import ManifestFile

if TYPE_CHECKING:
    from schema.http.request import OperationRequest

__all__ = ["PersistedOperations", "PersistedQueryRefused", "Resolved", "open_persisted_operations"]

SHA256 = re.compile(r"^[0-9a-fA-F]{64}$")
NOT_IN_MANIFEST = (
    "this API runs only registered operations (PERSISTED_ONLY) and this one is not in its "
    "manifest: register it with `learngraph operations register <file.graphql>`"
)


class PersistedQueryRefused(Exception):  # noqa: N818  # a refusal the client acts on, not a failure
    """A request error of the persisted-query protocols; clients match on message and code."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code

    def result(self) -> ExecutionResult:
        error = GraphQLError(self.message, extensions={"code": self.code})
        return ExecutionResult(data=None, errors=[error])


@dataclass(frozen=True)
class Resolved:
    query: str | None
    remember_as: str | None = None  # an APQ hash to keep the query under once it validated


def _apq_hash(extensions: dict[str, Any] | None) -> str | None:
    persisted = (extensions or {}).get("persistedQuery")
    if persisted is None:
        return None
    if not isinstance(persisted, dict):
        raise HTTPException(400, "`extensions.persistedQuery` must be an object")
    if persisted.get("version") != 1:
        raise HTTPException(400, "`extensions.persistedQuery.version` must be 1")
    sha256 = persisted.get("sha256Hash")
    if not isinstance(sha256, str) or not SHA256.match(sha256):
        raise HTTPException(400, "`extensions.persistedQuery.sha256Hash` must be 64 hex digits")
    return sha256.lower()


class PersistedOperations:
    def __init__(
        self,
        manifest: ManifestFile,
        cache: PersistedQueryCache | None,
        *,
        persisted_only: bool,
        redis: Redis,
    ) -> None:
        self.manifest = manifest
        self.cache = cache
        self.persisted_only = persisted_only
        self.redis = redis

    async def close(self) -> None:
        await self.redis.aclose()

    async def resolve(self, request: OperationRequest) -> Resolved:
        if request.document_id is not None:
            return Resolved(self._by_document_id(request.document_id, request.query))
        sha256 = _apq_hash(request.extensions)
        if sha256 is not None:
            return await self._by_hash(sha256, request.query)
        if self.persisted_only:
            return Resolved(self._trusted(request.query or ""))
        return Resolved(request.query)

    async def remember(self, resolved: Resolved) -> None:
        if self.cache and resolved.remember_as and resolved.query:
            await self.cache.put(resolved.remember_as, resolved.query)

    def _by_document_id(self, document_id: str, query: str | None) -> str:
        operation = self.manifest.current().operations.get(document_id.removeprefix("sha256:"))
        if operation is None:
            message = f"no registered operation has documentId {document_id}"
            raise PersistedQueryRefused(message, "PERSISTED_DOCUMENT_NOT_FOUND")
        if query is not None and query != operation.body:
            raise HTTPException(400, "`query` differs from the document `documentId` names")
        return operation.body

    async def _by_hash(self, sha256: str, query: str | None) -> Resolved:
        if query is not None and document_hash(query) != sha256:
            raise HTTPException(
                400, "`extensions.persistedQuery.sha256Hash` is not the sha256 of `query`"
            )
        operation = self.manifest.current().operations.get(sha256)
        if operation is not None:
            return Resolved(operation.body)
        if self.persisted_only:
            raise PersistedQueryRefused(NOT_IN_MANIFEST, "PERSISTED_QUERY_NOT_IN_LIST")
        if self.cache is None:
            raise PersistedQueryRefused(
                "PersistedQueryNotSupported", "PERSISTED_QUERY_NOT_SUPPORTED"
            )
        if query is not None:
            return Resolved(query, remember_as=sha256)
        stored = await self.cache.get(sha256)
        if stored is None:
            raise PersistedQueryRefused("PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND")
        return Resolved(stored)

    def _trusted(self, query: str) -> str:
        operations = self.manifest.current().operations
        if document_hash(query) in operations:
            return query
        try:
            printed = normalized(query)
        except GraphQLError:
            printed = ""
        operation = operations.get(document_hash(printed))
        if operation is None:
            raise PersistedQueryRefused(NOT_IN_MANIFEST, "PERSISTED_QUERY_NOT_IN_LIST")
        return operation.body


def open_persisted_operations(settings: Settings) -> PersistedOperations:
    """Refuses to start (SettingsError) when PERSISTED_ONLY has no operation to allow."""
    manifest = ManifestFile(settings.operations_manifest)
    if settings.persisted_only and not manifest.current().operations:
        raise SettingsError(
            f"setting PERSISTED_ONLY: {settings.operations_manifest} holds no operations "
            "(OPERATIONS_MANIFEST); register them with `learngraph operations register`"
        )
    redis = Redis.from_url(settings.redis_url, socket_connect_timeout=1.0, socket_timeout=2.0)
    apq = settings.apq_max_entries > 0 and not settings.persisted_only
    cache = PersistedQueryCache(
        redis, max_entries=settings.apq_max_entries, ttl_seconds=settings.apq_ttl_seconds
    )
    return PersistedOperations(
        manifest, cache if apq else None, persisted_only=settings.persisted_only, redis=redis
    )
