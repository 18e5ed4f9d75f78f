"""Data access for the write paths, one module per aggregate: keyword-only functions taking the
unit of work's session, so resolvers hold the rules and these the SQL."""
