"""What insights and execution health tell a channel, as outbox rows: the weekly health post.

Its key names the channel (Slack's id) and the ISO week, never a row's id: a second run, a second scheduler or a
restart between queueing and sending finds the key taken and posts nothing more that week.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.insights.blocks.weekly import weekly_blocks, weekly_text
from services import outbox
from services.health.weekly import ChannelWeek

WEEKLY_KIND = "health.weekly"


def weekly_key(channel: str, week: str) -> str:
    return f"health:weekly:{channel}:{week}"


async def queued(session: AsyncSession, *, workspace_id: int, channel: str, week: str) -> bool:
    """Whether this week's post for `channel` is queued (or sent) already."""
    return await outbox.get(session, workspace_id=workspace_id, key=weekly_key(channel, week)) is not None


async def queue_weekly(session: AsyncSession, *, workspace_id: int, week: ChannelWeek, now: datetime) -> None:
    """The post, in the channel itself; if it can never be made (the bot was never invited), the owner of the
    channel's first outcome hears once."""
    await outbox.enqueue(
        session,
        workspace_id=workspace_id,
        key=weekly_key(week.channel.channel_id, week.window.week),
        kind=WEEKLY_KIND,
        method="chat.postMessage",
        args={"channel": week.channel.channel_id, "text": weekly_text(week), "blocks": weekly_blocks(week)},
        not_before=now,
        owner=week.channel.contact,
    )
