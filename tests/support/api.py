"""A small GraphQL client for tests: send a document, sign in, read data or errors."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import httpx

__all__ = ["Api"]

LOGIN = """
mutation Login($username: String!, $password: String!) {
  login(username: $username, password: $password) { token errors { field message code } }
}
"""


class Api:
    def __init__(self, client: httpx.AsyncClient, path: str = "/graphql") -> None:
        self.client = client
        self.path = path
        self.token: str | None = None

    async def send(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        sent = dict(headers or {})
        if self.token:
            sent.setdefault("Authorization", f"Bearer {self.token}")
        response = await self.client.post(
            self.path, json={"query": query, "variables": variables or {}}, headers=sent
        )
        body: dict[str, Any] = response.json()
        return body

    async def data(
        self, query: str, variables: dict[str, Any] | None = None, **kw: Any
    ) -> dict[str, Any]:
        body = await self.send(query, variables, **kw)
        assert "errors" not in body, body["errors"]
        result: dict[str, Any] = body["data"]
        return result

    async def sign_in(self, username: str, password: str) -> str:
        data = await self.data(LOGIN, {"username": username, "password": password})
        assert data["login"]["errors"] == [], data["login"]["errors"]
        self.token = data["login"]["token"]
        return str(self.token)
