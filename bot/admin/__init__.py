"""The office's web pages under /admin: setup, plans, tasks, calendars, groups and people."""
