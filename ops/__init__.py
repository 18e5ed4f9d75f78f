"""Operations tooling: the local service manager (services.py, one module per store in stores/),
the embedded Neo4j launcher (neo4j/) and the product's processes for tests and benchmarks."""
