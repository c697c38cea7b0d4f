"""People: the roster, roles, who answers for a task, and the platforms' directories."""
