"""Reconciliation of PostgreSQL and Neo4j: compare both stores, repair, record runs.

The entry point is persistence.reconcile.engine.reconcile (kept out of this module so that
persistence.sync.conflicts can use the item types without an import cycle).
"""
