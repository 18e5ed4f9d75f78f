"""Data access for the read paths: keyword-only functions taking a session, one module per
area, so resolvers hold the rules (who may read, which input is valid) and these the SQL."""
