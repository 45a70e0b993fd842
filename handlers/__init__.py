"""The Slack surface: one module per feature, each with a `register(app)`."""

from slack_bolt.app.async_app import AsyncApp

from handlers import help, home, lifecycle, outcome, priority, progress


def register(app: AsyncApp) -> None:
    for feature in (help, home, lifecycle, outcome, progress, priority):
        feature.register(app)
