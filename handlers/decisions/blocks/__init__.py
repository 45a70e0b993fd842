"""Block Kit for decisions and escalation paths: pure functions of domain objects and plain values."""
