"""Many reports: manifests, the store, batch ingest and comparison across agencies and years."""
