"""Helpers for the outbox and scheduler tests (their fixtures are in tests/support/outbox_fixtures.py)."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from bot.clock import MovableClock
from bot.database import Database
from bot.slack_clients import SlackClients
from models import Delivery, Workspace
from scheduler.sender import Sender, SenderConfig
from services import outbox
from services.attention.policy import Urgency

TOKEN = "xoxb-test-token"


def make_sender(
    db: Database, clients: SlackClients, clock: MovableClock, *, name: str | None = None, **config: Any
) -> Sender:
    return Sender(
        sessions=db.sessions,
        clients=clients,
        clock=clock,
        config=SenderConfig(**config),
        name=name,
        rng=random.Random(7),
    )


async def dm(
    db: Database,
    workspace: Workspace,
    clock: MovableClock,
    key: str,
    user: str,
    text: str = "How is it going?",
    *,
    after: float = 0,
    **kw: Any,
) -> Delivery:
    """Enqueue a direct message to `user`, due `after` seconds from the clock's now. Urgent unless told, so the
    sender's mechanics are tested apart from the attention policy (tests/attention), which lets urgent through."""
    kw.setdefault("urgency", Urgency.URGENT)
    kw.setdefault("kind", "test.ask")
    async with db.sessions.begin() as session:
        return await outbox.enqueue(
            session,
            workspace_id=workspace.id,
            key=key,
            method="chat.postMessage",
            args={"channel": user, "text": text},
            not_before=clock.now() + timedelta(seconds=after),
            **kw,
        )


async def delivery(db: Database, key: str) -> Delivery:
    async with db.sessions() as session:
        return (await session.scalars(select(Delivery).where(Delivery.key == key))).one()


def texts(standin, user: str) -> list[str]:
    return [m["text"] for m in standin.messages(user)]
