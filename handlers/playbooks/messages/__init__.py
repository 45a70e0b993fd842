"""What playbooks tell people, as outbox rows; the scheduler's jobs compose their messages here too."""
