"""What playbooks tell people, as outbox rows, one module per part (the scheduler reaches handlers only through a
feature's `messages`): `learning` for retrospectives, proposed changes and experiments."""
