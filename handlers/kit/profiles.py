"""Profiles of the people a form names, read from Slack before the form is checked.

Every people field refuses bots, apps and those who left Slack (`services.people.unassignable`), working from
the stored profile; this reads those profiles first. The request's client commits the session before each
Slack call, so no transaction is held while Slack answers.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from datetime import datetime

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import refresh_profile
from models import Person, Workspace
from services import people

MAX_PROFILE_LOOKUPS = 30


async def refresh_named(
    client: AsyncWebClient, session: AsyncSession, workspace: Workspace, user_ids: Iterable[str | None], now: datetime
) -> list[Person]:
    """The people named (each once), with profiles older than a day read again, all at once."""
    found = [
        await people.ensure_person(session, workspace=workspace, slack_user_id=user_id)
        for user_id in dict.fromkeys(u for u in user_ids if u)
    ]
    # Each lookup gives up after a second, and they run side by side: the form is answered well within 3 s.
    await asyncio.gather(*(refresh_profile(client, person, now) for person in found[:MAX_PROFILE_LOOKUPS]))
    return found
