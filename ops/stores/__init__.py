"""One module per backing store: PostgreSQL, Redis and the embedded Neo4j."""
