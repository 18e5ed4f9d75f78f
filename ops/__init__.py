"""Operations tooling: the local service manager (services.py) and the embedded Neo4j launcher."""
