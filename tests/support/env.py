"""The test profile's settings: its own database, Redis and Neo4j (see ops/services.py).

LG_TEST_DATABASE_URL, LG_TEST_REDIS_URL, LG_TEST_NEO4J_URI and LG_TEST_NEO4J_PASSWORD point a
run at other stores, so that several runs on one machine do not empty each other's data.
"""

from __future__ import annotations

import os

TEST_ENV = {
    "DATABASE_URL": os.environ.get(
        "LG_TEST_DATABASE_URL",
        "postgresql+psycopg://learngraph:learngraph@127.0.0.1:5432/learngraph_test",
    ),
    "NEO4J_URI": os.environ.get("LG_TEST_NEO4J_URI", "bolt://127.0.0.1:7688"),
    "NEO4J_USER": "neo4j",
    "NEO4J_PASSWORD": os.environ.get("LG_TEST_NEO4J_PASSWORD", "learngraph-test"),
    "NEO4J_DATABASE": "neo4j",
    "REDIS_URL": os.environ.get("LG_TEST_REDIS_URL", "redis://127.0.0.1:6390/0"),
    "TOKEN_SECRET": "test-secret-0123456789abcdef-0123456789",
    "LG_ADMIN_USERNAME": "admin",
    "LG_ADMIN_PASSWORD": "admin-password",
    "STORE_WAIT_SECONDS": "20",
    # mail goes to the dev mail log (an mbox); tests find their messages in it by Message-ID
    "MAIL_LOG_PATH": os.environ.get("LG_TEST_MAIL_LOG_PATH", "var/test/mail.mbox"),
    # tests start reconciliation themselves; a scheduled run would repair other tests' graphs
    "RECONCILE_INTERVAL_SECONDS": "0",
}
