"""The App Home tab, published whenever a person opens it (and after they act from it)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import aiohttp
from slack_bolt.app.async_app import AsyncApp
from slack_sdk.errors import SlackClientError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.blocks.decision import home_sections as decision_sections
from handlers.blocks.home import home_view
from models import Person, Workspace
from services import decisions, outcomes
from services.people import person_zone

log = logging.getLogger(__name__)


async def publish_home(client: AsyncWebClient, session: AsyncSession, *, workspace: Workspace, person: Person) -> None:
    summary = await outcomes.home_summary(session, workspace_id=workspace.id, person=person)
    now = datetime.now(UTC)
    today = now.astimezone(person_zone(person, workspace)).date()
    # Five of each keeps outcomes, decisions and help inside Slack's 100-block limit for a Home view.
    awaiting = await decisions.home_decisions(session, workspace_id=workspace.id, person=person, now=now, limit=5)
    view = home_view(person.display_name, summary, today=today, now=now, sections=decision_sections(awaiting, now))
    await client.views_publish(user_id=person.slack_user_id, view=view)


async def refresh_home(client: AsyncWebClient, session: AsyncSession, *, workspace: Workspace, person: Person) -> None:
    """Redraws the Home tab after someone acted on it; the action stands even if the redraw fails."""
    try:
        await publish_home(client, session, workspace=workspace, person=person)
    except (SlackClientError, aiohttp.ClientError, TimeoutError) as exc:
        log.warning("could not refresh the Home tab of %s: %r", person.slack_user_id, exc)


async def app_home_opened(event: dict, context: dict, client: AsyncWebClient) -> None:
    if event.get("tab") != "home":
        return
    person, workspace = context.get("person"), context.get("workspace")
    if person is None or workspace is None:
        await client.views_publish(user_id=event["user"], view=home_view(None))
        return
    await publish_home(client, context["db"], workspace=workspace, person=person)


def register(app: AsyncApp) -> None:
    app.event("app_home_opened")(app_home_opened)
