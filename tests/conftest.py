"""The test harness: real databases (SQLite and PostgreSQL), a running Slack Web API stand-in, the real
FastAPI + Bolt app, and signed Slack-shaped requests."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import asyncpg
import httpx
import pytest
from sqlalchemy import delete, event, insert, select, update

import models
from bot import migrate
from bot.asgi_server import serve_asgi
from bot.database import Database
from bot.devtools.slack_payloads import SlackActor, SlackSender
from bot.devtools.standin import SlackStandin
from bot.settings import Settings
from bot.web import create_app
from models.base import Base, utcnow

POSTGRES_ADMIN_DSN = os.environ.get("FT_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
SIGNING_SECRET = "test-signing-secret"
BACKENDS = ("sqlite", "postgresql")


async def create_pg_database() -> str:
    """A fresh PostgreSQL database for this run; an unreachable server fails the run (CI must not skip it)."""
    name = f"ft_test_{uuid.uuid4().hex[:10]}"
    try:
        conn = await asyncpg.connect(POSTGRES_ADMIN_DSN, timeout=10)
    except (OSError, asyncpg.PostgresError) as exc:
        pytest.fail(f"PostgreSQL is required for the test suite and is unreachable at {POSTGRES_ADMIN_DSN}: {exc}")
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    admin = POSTGRES_ADMIN_DSN.rsplit("/", 1)[0]
    return f"{admin.replace('postgresql://', 'postgresql+asyncpg://', 1)}/{name}"


async def drop_pg_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    conn = await asyncpg.connect(POSTGRES_ADMIN_DSN, timeout=10)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


@pytest.fixture(scope="session")
async def empty_database_url(tmp_path_factory: pytest.TempPathFactory):
    """A factory of empty databases of either kind, cleaned up at the end of the run."""
    made: list[str] = []

    async def make(backend: str) -> str:
        if backend == "sqlite":
            url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('db')}/followthrough.db"
        else:
            url = await create_pg_database()
        made.append(url)
        return url

    yield make
    for url in made:
        if url.startswith("postgresql"):
            await drop_pg_database(url)


@pytest.fixture(scope="session", params=BACKENDS)
async def migrated(request: pytest.FixtureRequest, empty_database_url) -> AsyncIterator[Database]:
    database = Database.from_url(await empty_database_url(request.param))
    await migrate.upgrade(database.engine)
    yield database
    await database.dispose()


@pytest.fixture
async def db(migrated: Database) -> Database:
    """A migrated database (each test runs on SQLite and on PostgreSQL), emptied before the test."""
    async with migrated.sessions.begin() as session:
        for table in reversed(Base.metadata.sorted_tables):
            await session.execute(delete(table))
    return migrated


@pytest.fixture(scope="session")
async def standin_server() -> AsyncIterator[tuple[SlackStandin, str]]:
    standin = SlackStandin(team_id="T0LOCAL", team_name="Acme")
    async with serve_asgi(standin.app) as base_url:
        yield standin, base_url


@pytest.fixture
def standin(standin_server: tuple[SlackStandin, str]) -> SlackStandin:
    """The Slack Web API stand-in, cleared, with a small workspace of people in several zones."""
    standin, _ = standin_server
    standin.reset()
    standin.add_user("U0LOCAL", name="you", real_name="Dana Scully", tz="America/New_York", is_admin=True)
    standin.add_user("U0ALEX", name="alex", real_name="Alex Meyer", tz="Europe/Berlin")
    standin.add_user("U0PRIYA", name="priya", real_name="Priya Raman", tz="Asia/Kolkata")
    standin.add_user("U0OTHER", name="olga", real_name="Olga Other", tz="UTC", team_id="T0OTHER")
    standin.add_channel("C0GENERAL", name="general", members=["U0LOCAL", "U0ALEX", "U0PRIYA"])
    return standin


def make_settings(database_url: str, api_url: str, **overrides: object) -> Settings:
    values = {
        "slack_bot_token": "xoxb-test-token",
        "slack_signing_secret": SIGNING_SECRET,
        "slack_api_url": api_url,
        "database_url": database_url,
        "auto_migrate": False,
        **overrides,
    }
    return Settings(_env_file=None, **values)


@dataclass
class Harness:
    """The whole app, driven the way Slack drives it."""

    app: object
    db: Database
    standin: SlackStandin
    slack: SlackSender
    me: SlackActor

    def actor(self, user_id: str, **kw: str) -> SlackActor:
        return SlackActor(user_id=user_id, user_name=user_id.lower(), **kw)

    async def rows(self, model: type, *where: object) -> list:
        """The model's rows in the order they were stored: PostgreSQL returns an unordered scan in whatever order
        its pages hold, and a row updated since may come after later ones."""
        async with self.db.sessions() as session:
            query = select(model).where(*where).order_by(*model.__mapper__.primary_key)
            return list((await session.scalars(query)).all())


@pytest.fixture
def harness_sender_for(standin: SlackStandin, standin_server):
    """For an app built by the test: a context manager giving (signed request sender, the usual actor)."""
    _, base_url = standin_server

    @asynccontextmanager
    async def sender_for(app) -> AsyncIterator[tuple[SlackSender, SlackActor]]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://followthrough.test") as client:
            yield (
                SlackSender(client, SIGNING_SECRET, f"{base_url}/response", trigger_id_factory=standin.new_trigger_id),
                SlackActor(),
            )

    return sender_for


@pytest.fixture
async def harness(db: Database, standin: SlackStandin, standin_server, harness_sender_for) -> AsyncIterator[Harness]:
    _, base_url = standin_server
    settings = make_settings(str(db.engine.url.render_as_string(hide_password=False)), f"{base_url}/api")
    app = create_app(settings, database=db)
    async with harness_sender_for(app) as (sender, me):
        yield Harness(app=app, db=db, standin=standin, slack=sender, me=me)


__all__ = ["Harness", "models"]


ALWAYS = "00:00-24:00 mon,tue,wed,thu,fri,sat,sun"


@pytest.fixture
async def around_the_clock(db: Database) -> AsyncIterator[None]:
    """The test's people work every hour of every day and take any number of DMs: for a feature's own tests of
    what it sends and when, apart from the attention policy that can hold it (tested in tests/attention). Holds
    for people and workspaces stored before the test starts and for those it stores itself."""

    def hours(target, args, kwargs) -> None:
        kwargs.setdefault("work_hours", ALWAYS)

    def budget(mapper, connection, target) -> None:
        connection.execute(
            insert(models.AttentionSettings).values(
                workspace_id=target.id, daily_budget=1000, urgent_outside_hours=True, created_at=utcnow()
            )
        )

    async with db.sessions.begin() as session:
        await session.execute(update(models.Person).values(work_hours=ALWAYS))
        for workspace_id in (await session.scalars(select(models.Workspace.id))).all():
            session.add(models.AttentionSettings(workspace_id=workspace_id, daily_budget=1000))
    event.listen(models.Person, "init", hours)
    event.listen(models.Workspace, "after_insert", budget)
    yield
    event.remove(models.Person, "init", hours)
    event.remove(models.Workspace, "after_insert", budget)
