"""The test profile's settings: its own database, Redis and Neo4j (see ops/services.py)."""

from __future__ import annotations

TEST_ENV = {
    "DATABASE_URL": "postgresql+psycopg://learngraph:learngraph@127.0.0.1:5432/learngraph_test",
    "NEO4J_URI": "bolt://127.0.0.1:7688",
    "NEO4J_USER": "neo4j",
    "NEO4J_PASSWORD": "learngraph-test",
    "NEO4J_DATABASE": "neo4j",
    "REDIS_URL": "redis://127.0.0.1:6390/0",
    "TOKEN_SECRET": "test-secret-0123456789abcdef-0123456789",
    "LG_ADMIN_USERNAME": "admin",
    "LG_ADMIN_PASSWORD": "admin-password",
    "STORE_WAIT_SECONDS": "20",
}
