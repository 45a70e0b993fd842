"""Names for the channels a page shows. The page reads them from the cache (services/web/channels.py) and goes
out at once, with ids where no name is known yet; after it has been sent, a background task asks Slack
(conversations.info, two seconds each at most, a few at a time) about the missing or day-old ones and stores the
answers in a short transaction of its own, so the next page names them. No Slack call runs inside a transaction
or before a page is sent."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable

from fastapi import BackgroundTasks
from slack_sdk.errors import SlackApiError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.database import Database
from handlers.kit.replies import SLACK_FAILURES
from models import Workspace
from services.web import channels

log = logging.getLogger(__name__)

Lookup = Callable[[str, str], Awaitable[str | None]]  # (team id, channel id) -> its name; raises what Slack said
DEADLINE = 2.0  # seconds for one conversations.info
AT_ONCE = 4  # conversations.info is Tier 3: a page's worth at a time, not a burst
PER_PAGE = 50  # a page with more unknown channels names the rest on the next visits


class ChannelNamer:
    def __init__(self, database: Database, clock: Clock, lookup: Lookup | None) -> None:
        self.database, self.clock, self.lookup = database, clock, lookup
        self.asking: set[tuple[int, str]] = set()  # being asked now: two pages at once ask once

    async def names(self, session: AsyncSession, *, workspace: Workspace, channel_ids: Iterable[str],
                    background: BackgroundTasks) -> dict[str, str]:  # fmt: skip
        """The known names (one query), asking Slack about the rest once the page has been sent."""
        found = await channels.known(session, workspace_id=workspace.id, channel_ids=channel_ids, now=self.clock.now())
        wanted = [c for c in found.stale if (workspace.id, c) not in self.asking][:PER_PAGE]
        if wanted and self.lookup is not None:
            self.asking |= {(workspace.id, c) for c in wanted}
            background.add_task(self.ask_slack, workspace.id, workspace.team_id, wanted)
        return found.names

    async def ask_slack(self, workspace_id: int, team_id: str, channel_ids: list[str]) -> None:
        gate = asyncio.Semaphore(AT_ONCE)

        async def one(channel_id: str) -> tuple[str, str | None] | None:
            async with gate:
                try:
                    return channel_id, await asyncio.wait_for(self.lookup(team_id, channel_id), DEADLINE)
                except SlackApiError as exc:  # not found, not allowed: stored as unnamed, asked again tomorrow
                    log.info("conversations.info %s: %s", channel_id, exc.response.get("error"))
                    return channel_id, None
                except SLACK_FAILURES as exc:  # no answer: nothing stored, the next page asks again
                    log.info("conversations.info %s did not complete: %r", channel_id, exc)
                    return None

        try:
            heard = dict(found for found in await asyncio.gather(*map(one, channel_ids)) if found is not None)
            if heard:
                async with self.database.sessions.begin() as session:
                    await channels.remember(session, workspace_id=workspace_id, heard=heard, now=self.clock.now())
        finally:
            self.asking -= {(workspace_id, c) for c in channel_ids}
