"""Reads a migration's events from a store with the real metaxy 0.0.0's reader, and prints what it sees as JSON.

usage: python3 read_migration_events.py STORE MIGRATION_ID FEATURE [FEATURE ...]
Needs `pip install metaxy==0.0.0 "ibis-framework[sqlite]" sqlglot==27.29.0 pyarrow`.
"""
import json, sys, warnings
warnings.simplefilter("ignore")
from metaxy.metadata_store.sqlite import SQLiteMetadataStore
from metaxy.metadata_store.system_tables import SystemTableStorage

path, migration, features = sys.argv[1], sys.argv[2], sys.argv[3:]
with SQLiteMetadataStore(path) as store:
    storage = SystemTableStorage(store)
    print(json.dumps({
        "status": storage.get_migration_status(migration),
        "completed": sorted(storage.get_completed_features(migration)),
        "failed": storage.get_failed_features(migration),
        "feature_completed": {key: storage.is_feature_completed(migration, key) for key in features},
        "executed": sorted(storage.list_executed_migrations()),
    }, sort_keys=True))
