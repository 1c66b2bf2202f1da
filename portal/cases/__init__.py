"""Cases: claims (missing persons), their append-only notes, life-cycle and search."""
