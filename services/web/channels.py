"""Channel names for the dashboard's pages: read from a small cache (one query per page, never a Slack call while a
page renders), with the ids that are missing or older than a day handed back so the caller can ask Slack after the
page has gone out, outside any transaction, and `remember` what it heard in a short one of its own."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from models import ChannelName

FRESH_FOR = timedelta(days=1)  # a renamed channel shows its new name within a day


@dataclass(frozen=True)
class Known:
    names: dict[str, str]  # channel id -> name, for those Slack named
    stale: list[str]  # ids to ask Slack about: never asked, or asked more than a day ago


async def known(session: AsyncSession, *, workspace_id: int, channel_ids: Iterable[str], now: datetime) -> Known:
    wanted = sorted({c for c in channel_ids if c})
    if not wanted:
        return Known({}, [])
    query = select(ChannelName).where(ChannelName.workspace_id == workspace_id, ChannelName.channel_id.in_(wanted))
    rows = {row.channel_id: row for row in await session.scalars(query)}
    names = {c: row.name for c, row in rows.items() if row.name}
    stale = [c for c in wanted if c not in rows or now - rows[c].fetched_at >= FRESH_FOR]
    return Known(names, stale)


async def remember(session: AsyncSession, *, workspace_id: int, heard: dict[str, str | None], now: datetime) -> None:
    """Store what Slack said (None: it would not name the channel; asked again in a day). Two pages storing the
    same channel at once both succeed: the later write wins, the unique key keeps one row."""
    query = select(ChannelName).where(ChannelName.workspace_id == workspace_id, ChannelName.channel_id.in_(heard))
    rows = {row.channel_id: row for row in await session.scalars(query.with_for_update())}
    for channel_id, name in heard.items():
        row = rows.get(channel_id)
        if row is None:
            try:
                async with session.begin_nested():
                    session.add(ChannelName(workspace_id=workspace_id, channel_id=channel_id, name=name and name[:200],
                                            fetched_at=now))  # fmt: skip
            except IntegrityError:
                continue  # stored by another page a moment ago
        else:
            row.name, row.fetched_at = (name and name[:200]) or row.name, now
