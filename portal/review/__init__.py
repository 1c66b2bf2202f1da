"""The adapter between the pure matching engine and the database: stored keys, candidates, review."""
