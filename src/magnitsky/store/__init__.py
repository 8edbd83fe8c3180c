"""The embedded store: one DuckDB file holding sources, snapshots, records, actions and
the history derived from them."""

from magnitsky.store.db import Store, StoreError, open_store

__all__ = ["Store", "StoreError", "open_store"]
