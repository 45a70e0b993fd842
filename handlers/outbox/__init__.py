"""The outbox's own words to people: telling an owner that a scheduled message can never be delivered."""

from slack_bolt.app.async_app import AsyncApp

from handlers.kit.home import HomeTab


def register(app: AsyncApp, home: HomeTab) -> None:
    """No listeners: the sender composes its notices from `messages`."""
