"""Reconciliation of PostgreSQL and Neo4j: compare both stores, repair, record runs.

The entry point is persistence.reconcile.engine.reconcile. Conflicts (found by a run, resolved
by strategy) live here too; persistence.sync knows nothing of reconciliation.
"""
