"""The Slack surface: one module per feature, each with a `register(app)`."""

from slack_bolt.app.async_app import AsyncApp

from handlers import checkin, decision, escalation, help, home, lifecycle, outcome, priority, progress


def register(app: AsyncApp) -> None:
    for feature in (help, home, lifecycle, outcome, progress, priority, checkin, decision, escalation):
        feature.register(app)
