"""Idempotency keys: a claim or sighting sent twice with the same key is created once."""
