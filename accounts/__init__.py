"""Accounts: signing in and out, password reset, throttling, profile and personal API tokens."""
