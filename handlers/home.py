"""The App Home tab, published whenever a person opens it."""

from __future__ import annotations

from slack_bolt.app.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from handlers.blocks.home import home_view


async def app_home_opened(event: dict, context: dict, client: AsyncWebClient) -> None:
    if event.get("tab") != "home":
        return
    person = context.get("person")
    await client.views_publish(user_id=event["user"], view=home_view(person.display_name if person else None))


def register(app: AsyncApp) -> None:
    app.event("app_home_opened")(app_home_opened)
