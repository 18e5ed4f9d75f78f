"""GraphQL over HTTP: media types, request parsing, status codes and persisted operations."""
