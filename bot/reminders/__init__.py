"""Reminders pushed to teacher groups: planning (pure), the delivery ledger and the senders."""
