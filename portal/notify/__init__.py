"""Notifications: a transactional outbox, messages rendered in the recipient's language, the worker."""
