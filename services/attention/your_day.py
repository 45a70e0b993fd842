"""The "your day" round-up: DMs that waited (over a day's budget, or while someone was away) come together as
one message at the person's next working morning, grouped by feature, with each original message in its
thread so its buttons still work as they did.

The round-up is an outbox row of its own (kind attention.your_day) and the waiting rows are its thread replies
(`thread_of`), so the outbox's guarantees hold unchanged: each row is sent once under its own key, a reply
only after its parent, and a feature can still cancel what it queued. The round-up's text is written when it
is sent, from the replies still waiting, so a cancelled one is not listed; with none left it is not sent.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import Delivery, DeliveryState
from models.base import new_token
from services import outbox
from services.attention.kinds import YOUR_DAY_KIND, feature_of

MAX_LINES = 12  # of the summary; the thread holds them all
KEY = "attention:your-day:{user}:{day}"


async def parent_for(session: AsyncSession, *, workspace_id: int, user: str, at: datetime, zone: ZoneInfo) -> Delivery:
    """The round-up `user` gets at `at` (their next working morning), made on first need. One per morning; if
    that morning's has been taken by a sender already, a new one follows it."""
    key = KEY.format(user=user, day=f"{at.astimezone(zone):%Y-%m-%d}")
    found = await session.scalar(
        select(Delivery).where(Delivery.workspace_id == workspace_id, Delivery.key == key).with_for_update()
    )
    if found is not None and found.state != DeliveryState.PENDING:
        key = f"{key}:{new_token()}"
    return await outbox.enqueue(
        session,
        workspace_id=workspace_id,
        key=key,
        kind=YOUR_DAY_KIND,
        method="chat.postMessage",
        args={"channel": user, "text": "☀️ Your day"},  # written when it is sent (render)
        not_before=at,
    )


async def waiting(session: AsyncSession, parent: Delivery) -> list[Delivery]:
    query = (
        select(Delivery)
        .where(
            Delivery.workspace_id == parent.workspace_id,
            Delivery.thread_of == parent.key,
            Delivery.state == DeliveryState.PENDING,
        )
        .order_by(Delivery.due_at, Delivery.id)
    )
    return list((await session.scalars(query)).all())


def render(user: str, replies: list[Delivery]) -> dict[str, Any]:
    """The round-up's message: how many waited, grouped by feature, each by its first line."""
    groups: dict[str, list[str]] = defaultdict(list)
    for reply in replies:
        groups[feature_of(reply.kind)].append(_first_line(reply.args))
    away = any(r.held_reason == "away" for r in replies)
    count = f"{len(replies)} message{'s' if len(replies) != 1 else ''}"
    why = "came while you were away" if away else "came after your day's limit of messages was reached"
    head = f"☀️ *Your day* · {count} {why}, so here they are together."
    blocks: list[dict[str, Any]] = [{"type": "section", "text": {"type": "mrkdwn", "text": head}}]
    shown = 0
    for feature, lines in groups.items():
        listed = lines[: max(0, MAX_LINES - shown)]
        shown += len(listed)
        more = f"\n…and {len(lines) - len(listed)} more" if len(listed) < len(lines) else ""
        body = "\n".join(f"• {line}" for line in listed) + more
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": f"*{feature}* ({len(lines)})\n{body}"}})
    blocks.append(
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "Each one is in the thread, buttons and all."}]}
    )
    return {"channel": user, "text": f"☀️ Your day: {count} waited for you", "blocks": blocks}


def _first_line(args: dict[str, Any]) -> str:
    text = str(args.get("text") or "").strip().splitlines()
    line = text[0] if text else "(a message)"
    return line if len(line) <= 150 else line[:149] + "…"


async def written(session: AsyncSession, *, parent: Delivery, claimer: str) -> dict[str, Any] | None:
    """The round-up's args as it is about to be sent; None (and the row cancelled) when nothing waits now."""
    replies = await waiting(session, parent)
    if replies:
        return render(parent.interrupts or parent.target, replies)
    await session.execute(
        update(Delivery)
        .where(Delivery.id == parent.id, Delivery.state == DeliveryState.SENDING, Delivery.claimed_by == claimer)
        .values(state=DeliveryState.CANCELLED, claimed_by=None, claimed_until=None)
    )
    return None
