"""What production mode refuses: the example secrets this repository ships.

They are public (.env.example, docker-compose.yml, the test profile), so a server started with
one of them is open to anyone who has read the repository.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from config.settings import Settings

__all__ = ["EXAMPLE_SECRETS", "example_secrets_in_use", "refuse_example_secrets"]

EXAMPLE_SECRETS = frozenset(
    {
        "change-me-in-production-0123456789abcdef",  # TOKEN_SECRET of .env.example
        "test-secret-0123456789abcdef-0123456789",  # TOKEN_SECRET of the test profile
        "admin-password",  # LG_ADMIN_PASSWORD
        "learngraph-dev",  # NEO4J_PASSWORD of the dev profile
        "learngraph-test",  # NEO4J_PASSWORD of the test profile
        "learngraph",  # the database password of .env.example
        "neo4j",  # Neo4j's own initial password
        "password",
    }
)


def _database_password(url: str) -> str | None:
    return urlsplit(url).password  # None: no password in the URL (peer or certificate auth)


def example_secrets_in_use(settings: Settings) -> list[str]:
    """The names of the settings that hold a secret from EXAMPLE_SECRETS (or an empty one)."""
    secrets: dict[str, str | None] = {
        "TOKEN_SECRET": settings.token_secret.get_secret_value(),
        "LG_ADMIN_PASSWORD": settings.lg_admin_password.get_secret_value(),
        "NEO4J_PASSWORD": settings.neo4j_password.get_secret_value(),
        "DATABASE_URL": _database_password(settings.database_url),
    }
    return [name for name, value in secrets.items() if value == "" or value in EXAMPLE_SECRETS]


def refuse_example_secrets(settings: Settings) -> None:
    """Raise ValueError naming every setting that still holds an example secret."""
    names = example_secrets_in_use(settings)
    if names:
        raise ValueError(
            f"setting {', '.join(names)}: an example or empty secret cannot be used with "
            "LG_ENV=production; set a secret of your own"
        )
