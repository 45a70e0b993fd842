"""Fixtures for the outbox and scheduler tests: a movable clock, a workspace, clients aimed at the stand-in,
a sender. Test modules load them with `pytest_plugins = ["tests.support.outbox_fixtures"]`."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.clock import MovableClock
from bot.database import Database
from bot.slack_clients import SlackClients
from models import Workspace
from scheduler.sender import Sender
from services import people
from tests.support.outbox import TOKEN, make_sender


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


@pytest.fixture
async def workspace(db: Database) -> Workspace:
    async with db.sessions.begin() as session:
        return await people.ensure_workspace(session, team_id="T0LOCAL")


@pytest.fixture
async def clients(standin, standin_server) -> AsyncIterator[SlackClients]:
    _, base_url = standin_server
    made = SlackClients(base_url=f"{base_url}/api/", token=TOKEN)
    yield made
    await made.close()


@pytest.fixture
def sender(db: Database, clients: SlackClients, clock: MovableClock) -> Sender:
    return make_sender(db, clients, clock)
