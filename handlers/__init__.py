"""The Slack surface: one module per feature, each with a `register(app)`."""

from slack_bolt.app.async_app import AsyncApp

from handlers import help, home, lifecycle


def register(app: AsyncApp) -> None:
    for feature in (help, home, lifecycle):
        feature.register(app)
