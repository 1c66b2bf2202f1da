"""The pure matching engine (no Flask, no SQLAlchemy): names, keys, comparison, scores."""
