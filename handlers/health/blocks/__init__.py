"""Block Kit for execution health, pure functions of stored findings."""
