"""What playbooks tell people, as outbox rows, one module per part (the scheduler reaches handlers only through a
feature's `messages`): `reviews` for the evergreen review asks; `runs` for step DMs, cards and status reminders;
`learning` for retrospectives, proposed changes and experiments."""
