"""What playbooks tell people, as outbox rows, one module per part; the scheduler reaches them through here."""
