"""Persisted operations: the trusted-document manifest (a file) and the APQ cache (Redis)."""
