"""Assembling the scheduler: inside `followthrough serve` (bot/web.py) or on its own (`followthrough scheduler`)."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from slack_bolt.app.async_app import AsyncApp

from bot import metrics as prometheus
from bot.clock import Clock, SystemClock
from bot.database import Database
from bot.loop_lag import watching
from bot.metrics import Metrics
from bot.settings import Settings
from bot.slack_clients import SlackClients
from scheduler import features
from scheduler.runner import Runner

log = logging.getLogger(__name__)


def build_runner(
    database: Database, bolt: AsyncApp, metrics: Metrics, clock: Clock | None = None, *, serving: bool = False
) -> Runner:
    """A runner whose Slack clients reach the same Slack, with the same tokens, as the Bolt app's. `serving`: in
    a process that runs for good (`serve`, `scheduler`), which settles its heap once every job has run."""
    clients = SlackClients.like(bolt.client, bolt.installation_store)
    runner = Runner(database=database, clients=clients, metrics=metrics, clock=clock or SystemClock(),
                    settle_when_warm=serving)  # fmt: skip
    features.register(runner)
    return runner


def scheduler_app(settings: Settings, database: Database) -> FastAPI:
    """The standalone scheduler process: no Slack endpoint, just the scheduler plus health and metrics."""
    from bot import migrate
    from bot.heap import settle_heap
    from bot.slack_app import build_bolt_app

    metrics = Metrics()
    runner = build_runner(database, build_bolt_app(settings, database), metrics, serving=True)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if settings.auto_migrate:
            await migrate.upgrade(database.engine)
        settle_heap()  # as `serve` does: the mappers configured now, not in the first job's query
        await runner.start()
        async with watching(metrics.loop_lag):
            yield
        await runner.stop()
        await database.dispose()

    app = FastAPI(title="Followthrough scheduler", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.runner = runner

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "alive", "scheduler": "leader" if runner.leading else "follower"}

    @app.get("/readyz")
    async def readyz() -> JSONResponse:
        ready, reason = await database.readiness()
        if not ready:
            log.warning("not ready: %s", reason)  # details stay in the log: they can name hosts and ports
        return JSONResponse({"ready": ready}, status_code=200 if ready else 503)

    exporter = prometheus.Exporter(metrics, database.sessions)

    @app.get("/metrics")
    async def metrics_endpoint(request: Request) -> Response:
        if not prometheus.authorized(settings.metrics_token, request.headers.get("authorization")):
            return Response(status_code=401, content="metrics need the METRICS_TOKEN bearer token")
        return Response(await exporter.render(runner.clock.now()), media_type=prometheus.CONTENT_TYPE)

    return app


async def run_standalone(settings: Settings, metrics_port: int | None = None) -> int:
    """`followthrough scheduler`: run until SIGTERM/SIGINT; with a metrics port, serve /metrics and /healthz."""
    app = scheduler_app(settings, Database.from_url(settings.database_url, settings.db_timeouts))
    if metrics_port:
        import uvicorn

        from bot.asgi_server import cannot_listen, listening_socket

        try:  # the port first: a busy one is one line and exit 1, before the scheduler starts
            sock = listening_socket(settings.host, metrics_port)
        except OSError as exc:
            print(cannot_listen(settings.host, metrics_port, exc, retry="followthrough scheduler --metrics-port",
                                setting="--metrics-port"), file=sys.stderr)  # fmt: skip
            return 1
        server = uvicorn.Server(uvicorn.Config(app, host=settings.host, port=metrics_port))
        try:
            await server.serve(sockets=[sock])
        finally:
            sock.close()
        return 0 if server.started else 1
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    async with app.router.lifespan_context(app):
        log.info("scheduler running; stop with Ctrl-C or SIGTERM")
        await stop.wait()
    return 0
