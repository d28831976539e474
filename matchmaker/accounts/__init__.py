"""Accounts: organisations, users, roles, registration, login and organisation review."""
