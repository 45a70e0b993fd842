"""Block Kit for insights and the weekly health post: pure functions, no session, no Slack calls."""
