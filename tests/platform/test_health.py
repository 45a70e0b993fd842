"""Liveness and readiness probes, and what people and probes see while the database is stalled."""

from __future__ import annotations

import logging
import time

import httpx
from sqlalchemy import select

from bot import migrate
from bot.database import Database
from bot.devtools.stall import StallingProxy
from bot.failures import DATABASE_DOWN
from bot.web import create_app
from models import Person
from tests.conftest import make_settings


async def get(app, path: str) -> httpx.Response:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        return await client.get(path)


async def test_ready_when_migrated(harness) -> None:
    assert (await get(harness.app, "/healthz")).json() == {"status": "alive"}
    response = await get(harness.app, "/readyz")
    assert response.status_code == 200 and response.json()["ready"] is True


async def test_not_ready_when_the_database_is_unreachable_and_the_reason_stays_in_the_log(caplog) -> None:
    url = "postgresql+asyncpg://nobody@127.0.0.1:1/nowhere"
    app = create_app(make_settings(url, "http://127.0.0.1:1/api"), database=Database.from_url(url))

    assert (await get(app, "/healthz")).status_code == 200  # the process itself is alive
    with caplog.at_level(logging.WARNING):
        response = await get(app, "/readyz")
    assert response.status_code == 503
    assert response.json() == {"ready": False}  # no hosts, ports or driver errors for whoever asks
    assert "127.0.0.1" not in response.text
    assert any("unreachable" in r.getMessage() for r in caplog.records)


async def test_not_ready_before_migrations(empty_database_url, caplog) -> None:
    for backend in ("sqlite", "postgresql"):
        url = await empty_database_url(backend)
        database = Database.from_url(url)
        app = create_app(make_settings(url, "http://127.0.0.1:1/api"), database=database)
        with caplog.at_level(logging.WARNING):
            response = await get(app, "/readyz")
        await database.dispose()
        assert response.status_code == 503, backend
        assert any("migrations not at head" in r.getMessage() for r in caplog.records), backend


async def test_a_stalled_database_is_a_quick_503_and_a_sentence_for_people(
    empty_database_url, standin, standin_server, harness_sender_for
) -> None:
    url = await empty_database_url("postgresql")
    await migrate.upgrade(Database.from_url(url).engine)
    async with StallingProxy() as proxy:
        proxied = url.replace(":5432/", f":{proxy.port}/")
        database = Database.from_url(proxied)  # the default deadlines, as deployed
        _, base_url = standin_server
        app = create_app(make_settings(proxied, f"{base_url}/api"), database=database)
        async with harness_sender_for(app) as (slack, me):
            assert (await slack.command(me, "/followthrough", "help")).status_code == 200  # works while it flows

            proxy.stall()
            started = time.monotonic()
            ready = await get(app, "/readyz")
            ready_took = time.monotonic() - started
            started = time.monotonic()
            answer = await slack.command(me, "/outcome", "list")
            answer_took = time.monotonic() - started

            assert ready.status_code == 503 and ready_took < 1.5
            assert answer.status_code == 200 and answer_took < 3.0  # inside Slack's 3 s
            assert answer.json()["text"] == DATABASE_DOWN

            proxy.resume()
            assert (await slack.command(me, "/followthrough", "help")).status_code == 200
        async with database.sessions() as session:
            stored = (await session.scalars(select(Person))).all()
        assert [p.slack_user_id for p in stored] == ["U0LOCAL"]  # what was stored before the stall is intact
        await database.dispose()
