"""Retention and erasure: what the portal stops keeping, when, and a person's request to be forgotten."""
