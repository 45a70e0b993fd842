"""A local stand-in for the Slack Web API; import it from `bot.slack_standin`."""
