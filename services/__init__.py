"""Domain operations. Slack-free: they take a session and plain values and return domain objects."""
