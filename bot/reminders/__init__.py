"""Reminders pushed to teacher groups: the passes that fill the delivery ledger, and its sending."""
