"""JSON API v1 (spec/api-core.md) and its OpenAPI document."""
