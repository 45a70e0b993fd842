"""Block Kit for outcomes, progress and priorities: pure functions from domain objects to blocks and views."""
