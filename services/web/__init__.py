"""The web dashboard's services: signing in by a one-time link from Slack, and the sessions it opens."""
