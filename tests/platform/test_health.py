"""Liveness and readiness probes."""

from __future__ import annotations

import httpx

from bot.database import Database
from bot.web import create_app
from tests.conftest import make_settings


async def get(app, path: str) -> httpx.Response:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        return await client.get(path)


async def test_ready_when_migrated(harness) -> None:
    assert (await get(harness.app, "/healthz")).json() == {"status": "alive"}
    response = await get(harness.app, "/readyz")
    assert response.status_code == 200 and response.json()["ready"] is True


async def test_not_ready_when_the_database_is_unreachable() -> None:
    url = "postgresql+asyncpg://nobody@127.0.0.1:1/nowhere"
    app = create_app(make_settings(url, "http://127.0.0.1:1/api"), database=Database.from_url(url))

    assert (await get(app, "/healthz")).status_code == 200  # the process itself is alive
    response = await get(app, "/readyz")
    assert response.status_code == 503
    assert "unreachable" in response.json()["detail"]


async def test_not_ready_before_migrations(empty_database_url) -> None:
    for backend in ("sqlite", "postgresql"):
        url = await empty_database_url(backend)
        database = Database.from_url(url)
        app = create_app(make_settings(url, "http://127.0.0.1:1/api"), database=database)
        response = await get(app, "/readyz")
        await database.dispose()
        assert response.status_code == 503, backend
        assert "migrations not at head" in response.json()["detail"]
