"""Data access for the read paths: keyword-only functions taking a session or connection, one
module per area, so resolvers hold the rules (who may read, which input is valid) and these the SQL.

Some reads answer a whole selection in one statement whose JSON PostgreSQL builds: a root
resolver looks ahead at what the client selected and passes that here; the statement returns
one JSON document (decoded with orjson) whose parts become plain attributes, so the nested
fields answer synchronously, with no DataLoader, task or statement per nested field.
`documents` runs such a statement, `records` turns a JSON object back into a row of a model;
`learner` reads a user's own views, `figures` the dashboard's figures. `shapes` writes the
JSON of an entity's picked attributes and relations (`entities`; `Pick`: what a caller wants
of it), and `progress`, `concepts` and `paths` read with it a learner's progress pages, the
concepts page, learning paths, their items and concepts in a given order.
"""
