"""The sender's attention step: before a new DM goes, ask the policy (services/attention/clearing.py), with
the person's Do Not Disturb as Slack reports it (dnd.info, remembered briefly so a busy morning does not ask
Slack once per message). A round-up is written here, just before it goes, from the replies still waiting.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from models import Delivery
from services.attention import clearing, your_day
from services.attention.kinds import YOUR_DAY_KIND
from services.attention.policy import Urgency, Verdict

log = logging.getLogger(__name__)

DND_TTL = timedelta(minutes=5)


@dataclass(frozen=True)
class Step:
    go: bool  # False: the row is held or rounded up (or no longer ours); nothing to send now
    args: dict[str, Any] | None = None  # replaces the row's args (a round-up's text)


def needs_clearing(delivery: Delivery) -> bool:
    """A new DM the policy has not let through yet; replies in a round-up's thread go with their parent."""
    return bool(delivery.interrupts and delivery.urgency and delivery.cleared_at is None and not delivery.thread_of)


class Attention:
    def __init__(self, *, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self.sessions = sessions
        self.clock = clock
        self._dnd: dict[tuple[int, str], tuple[datetime, datetime | None]] = {}  # -> (asked until, dnd until)
        self._asking: dict[tuple[int, str], asyncio.Future[datetime | None]] = {}
        self._people: dict[tuple[int, str], asyncio.Lock] = {}

    async def step(self, delivery: Delivery, client: AsyncWebClient, claimer: str) -> Step:
        assert delivery.interrupts is not None
        # One person's DMs of a batch are decided one at a time, in the order they were due (the claim's
        # order; asyncio locks are fair), so the day's budget goes to the earliest.
        async with self._people.setdefault((delivery.workspace_id, delivery.interrupts), asyncio.Lock()):
            return await self._step(delivery, client, claimer)

    async def _step(self, delivery: Delivery, client: AsyncWebClient, claimer: str) -> Step:
        assert delivery.interrupts is not None
        dnd_until = None
        if delivery.urgency != Urgency.URGENT:
            dnd_until = await self.dnd_until(client, delivery.workspace_id, delivery.interrupts)
        async with self.sessions.begin() as session:
            cleared = await clearing.clear(
                session, delivery=delivery, claimer=claimer, now=self.clock.now(), dnd_until=dnd_until
            )
            if not cleared.kept or cleared.decision.verdict is not Verdict.SEND:
                return Step(go=False)
            if delivery.kind == YOUR_DAY_KIND:
                args = await your_day.written(session, parent=delivery, claimer=claimer)
                return Step(go=args is not None, args=args)
        return Step(go=True)

    async def dnd_until(self, client: AsyncWebClient, workspace_id: int, user: str) -> datetime | None:
        """When the person's Do Not Disturb ends, if it is on now; None when off or Slack would not say."""
        now = self.clock.now()
        key = (workspace_id, user)
        known = self._dnd.get(key)
        if known is not None and known[0] > now:
            return known[1]
        if key not in self._asking:  # several of their DMs in one batch share one question
            self._asking[key] = asyncio.ensure_future(self._ask(client, user, now))
        try:
            until = await asyncio.shield(self._asking[key])
        finally:
            self._asking.pop(key, None)
        self._dnd[key] = (now + DND_TTL, until)
        return until

    async def _ask(self, client: AsyncWebClient, user: str, now: datetime) -> datetime | None:
        try:
            answer = await client.api_call("dnd.info", http_verb="GET", params={"user": user})
        except SlackApiError as exc:  # missing_scope on an old install, a rate limit: send as if DND were off
            log.warning("dnd.info for %s: %s; sending without it", user, exc.response.get("error"))
            return None
        except Exception as exc:  # a timeout must not hold up the message for good
            log.warning("dnd.info for %s failed (%s); sending without it", user, type(exc).__name__)
            return None
        return dnd_end(answer.data if isinstance(answer.data, dict) else {}, now)


def dnd_end(data: dict[str, Any], now: datetime) -> datetime | None:
    """From a dnd.info answer: the end of a snooze or of scheduled quiet hours in force at `now`."""
    stamp = now.timestamp()
    ends = []
    if data.get("snooze_enabled") and float(data.get("snooze_endtime") or 0) > stamp:
        ends.append(float(data["snooze_endtime"]))
    start, end = float(data.get("next_dnd_start_ts") or 0), float(data.get("next_dnd_end_ts") or 0)
    if data.get("dnd_enabled") and start <= stamp < end:
        ends.append(end)
    return datetime.fromtimestamp(max(ends), UTC) if ends else None
