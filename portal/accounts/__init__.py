"""Accounts: users, roles, countries, login and API tokens."""
