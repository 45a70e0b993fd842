"""The App Home tab, published whenever a person opens it; what it shows comes from each feature's section."""

from __future__ import annotations

from datetime import datetime

from slack_bolt.app.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.kit.home import HomeTab, frame, greeting
from models import Person, Workspace


async def app_home_opened(
    event: dict,
    client: AsyncWebClient,
    home: HomeTab,
    db: AsyncSession,
    workspace: Workspace | None,
    person: Person | None,
    now: datetime,
) -> None:
    if event.get("tab") != "home":
        return
    if person is None or workspace is None:
        await client.views_publish(user_id=event["user"], view=frame([greeting(None)]))
        return
    await home.publish(client, db, workspace=workspace, person=person, now=now)


def register(app: AsyncApp, home: HomeTab) -> None:
    app.event("app_home_opened")(app_home_opened)
