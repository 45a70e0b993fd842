"""The FastAPI app: Slack's single endpoint, OAuth install pages, meetings' calendar files, health and readiness."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from slack_bolt.adapter.fastapi.async_handler import AsyncSlackRequestHandler
from slack_bolt.adapter.starlette.async_handler import to_starlette_response
from slack_bolt.app.async_app import AsyncApp
from slack_sdk.signature import SignatureVerifier
from starlette.types import Receive, Scope, Send

from bot import metrics as prometheus
from bot import migrate
from bot.clock import Clock, SystemClock
from bot.context import dispatch
from bot.database import Database
from bot.edge import QuietLog, guarded_request
from bot.heap import settle_heap
from bot.installation_store import warn_of_plain_text_tokens
from bot.loop_lag import watching
from bot.manifest import EVENTS_PATH
from bot.metrics import Metrics
from bot.settings import LOCAL_MOUNT, STANDIN_MOUNT, Mode, Settings
from bot.slack_app import build_bolt_app
from bot.slack_clients import build_client
from handlers.web import add_api_routes, add_web_routes
from handlers.web.slack_sign_in import CALLBACK_PATH, SlackSignIn
from scheduler.service import build_runner
from services import outbox
from services.meetings.calendar import CALENDAR_PATH, plausible_token
from services.meetings.invitation import invitation

log = logging.getLogger(__name__)


def create_app(
    settings: Settings,
    *,
    api_base_url: str | None = None,
    database: Database | None = None,
    clock: Clock | None = None,
) -> FastAPI:
    database = database or Database.from_url(settings.database_url, settings.db_timeouts)
    clock = clock or SystemClock()
    bolt = build_bolt_app(settings, database, api_base_url=api_base_url, clock=clock)

    started = time.perf_counter()
    metrics = Metrics()
    local = settings.mode is Mode.LOCAL and not settings.slack_api_url

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if settings.auto_migrate:
            await migrate.upgrade(database.engine)
        if settings.oauth_enabled:
            await warn_of_plain_text_tokens(database.engine)
        if local:
            from bot.devtools.local import seed_local_people

            await seed_local_people(database, settings)
        socket = None
        if settings.mode is Mode.SOCKET:
            from bot.socket_mode import SessionSocketModeHandler

            socket = SessionSocketModeHandler(bolt, settings.slack_app_token or "", database.sessions)
            await socket.connect_async()
        runner = build_runner(database, bolt, metrics, clock, serving=True) if settings.scheduler_enabled else None
        if runner is not None:
            await runner.start()
        settle_heap()
        log.info("%s mode, ready in %.2f s", settings.mode.value, time.perf_counter() - started)
        if settings.mode is Mode.LOCAL:
            log.info("no Slack credentials: local mode. Talk to it with `followthrough shell` (or `make shell`).")
        async with watching(metrics.loop_lag):
            yield
        if runner is not None:
            await runner.stop()
        if socket is not None:
            await socket.close_async()
        await database.dispose()

    app = SlackFirst(title="Followthrough", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.settings = settings
    app.state.database = database
    app.state.bolt = bolt
    app.state.metrics = metrics

    add_slack_routes(app, settings, bolt, database)
    add_calendar_routes(app, settings, database)
    add_web_routes(app, database, clock, secure_cookies=settings.app_url.startswith("https://"),
                   slack_sign_in=slack_sign_in(settings, bolt, api_base_url),
                   channel_lookup=channel_lookup(bolt))  # fmt: skip
    add_api_routes(app, database, clock)
    add_operator_routes(app, database, metrics, clock, settings.metrics_token)

    if local:
        from bot.devtools.local import local_standin

        standin = local_standin(settings)
        app.state.standin = standin
        add_local_routes(app, database, clock, sending=settings.scheduler_enabled)
        app.mount(STANDIN_MOUNT, standin.app)
    return app


def channel_lookup(bolt: AsyncApp):
    """How the dashboard learns a channel's name: conversations.info with the bot's token for that workspace (a
    client of its own per call, so no connection pool outlives the request)."""

    async def lookup(team_id: str, channel_id: str) -> str | None:
        token = bolt.client.token
        if bolt.installation_store is not None:
            bot = await bolt.installation_store.async_find_bot(enterprise_id=None, team_id=team_id)
            token = bot.bot_token if bot is not None else None
        if not token:
            return None
        client = build_client(token=token, base_url=bolt.client.base_url, timeout=3)
        return ((await client.conversations_info(channel=channel_id)).get("channel") or {}).get("name")

    return lookup


def slack_sign_in(settings: Settings, bolt: AsyncApp, api_base_url: str | None) -> SlackSignIn | None:
    """Sign in with Slack needs the OAuth client: it shares the install flow's state store and installations."""
    if not settings.oauth_enabled or bolt.oauth_flow is None:
        return None
    store = bolt.installation_store

    async def installed(team_id: str) -> bool:
        return await store.async_find_installation(enterprise_id=None, team_id=team_id) is not None

    return SlackSignIn(
        client_id=settings.slack_client_id or "",
        client_secret=settings.slack_client_secret or "",
        redirect_uri=f"{settings.app_url}{CALLBACK_PATH}",
        state_store=bolt.oauth_flow.settings.state_store,
        installed=installed,
        client=build_client(token=None, base_url=api_base_url or settings.api_url()),
        default_timezone=settings.default_timezone,
    )


def add_local_routes(app: FastAPI, database: Database, clock: Clock, *, sending: bool = True) -> None:
    """Local mode only: how many scheduled messages are due and not yet sent, so the shell can wait for the
    app's replies (they go through the outbox) before it reads the next line of a script. With the scheduler
    off nothing will send them, so there is nothing to wait for."""

    @app.get(f"{LOCAL_MOUNT}/outbox")
    async def local_outbox() -> dict[str, int]:
        if not sending:
            return {"due": 0}
        async with database.sessions() as session:
            return {"due": await outbox.ready(session, now=clock.now())}


class SlackFirst(FastAPI):
    """FastAPI, with Slack's POSTs answered ahead of its middleware stack and router. The endpoint guards itself
    (bot.edge) and turns every failure into an answer (bot.context), so the stack's five layers (error pages,
    telemetry, body limit, exception handlers, dependency exit stacks) only added CPU to the most frequent
    request. Anything else, another method on the same path included, goes through FastAPI as usual."""

    slack_endpoint: Callable[[Request], Awaitable[Response]] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            self.slack_endpoint is not None
            and scope["type"] == "http"
            and scope["path"] == EVENTS_PATH
            and scope["method"] == "POST"
        ):
            response = await self.slack_endpoint(Request(scope, receive))
            await response(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


def add_slack_routes(app: FastAPI, settings: Settings, bolt: AsyncApp, database: Database) -> None:
    """Slack's single endpoint, and the OAuth install pages when OAuth is configured."""

    verifier = SignatureVerifier(settings.signing_secret)

    async def slack_events(request: Request) -> Response:
        guarded = await guarded_request(
            request, verifier, limit=settings.max_body_bytes, deadline=settings.body_timeout_seconds
        )
        if isinstance(guarded, Response):
            return guarded
        return to_starlette_response(await dispatch(bolt, database.sessions, guarded))

    # A plain Starlette route: the endpoint reads the raw request itself, so FastAPI's dependency solving and
    # response handling had nothing to do but cost a tenth of a millisecond on every Slack request.
    app.router.add_route(EVENTS_PATH, slack_events, methods=["POST"], include_in_schema=False)
    if isinstance(app, SlackFirst):
        app.slack_endpoint = slack_events

    if settings.oauth_enabled:
        oauth = AsyncSlackRequestHandler(bolt)

        @app.get("/slack/install")
        async def slack_install(request: Request) -> Response:
            return await oauth.handle(request)

        @app.get("/slack/oauth_redirect")
        async def slack_oauth_redirect(request: Request) -> Response:
            return await oauth.handle(request)


def add_calendar_routes(app: FastAPI, settings: Settings, database: Database) -> None:
    """Each meeting's `.ics`, for any calendar. No Slack signature and no login: the random token in the path is
    the key, as for a calendar's secret address; anything else is a 404 that says nothing of other meetings."""
    not_found = Response(status_code=404, content="No such meeting.\n", media_type="text/plain")

    @app.get(CALENDAR_PATH)
    async def meeting_calendar(token: str) -> Response:
        if not plausible_token(token):
            return not_found
        async with database.sessions() as session:
            found = await invitation(session, token=token, base_url=settings.public_url)
        if found is None:
            return not_found
        headers = {
            "Content-Disposition": f'inline; filename="{found.filename}"',
            "Cache-Control": "no-store",  # an edit or a cancellation must reach the calendar that fetches it again
            "X-Robots-Tag": "noindex",
            "Referrer-Policy": "no-referrer",
        }
        return Response(found.body, media_type="text/calendar; charset=utf-8", headers=headers)


def add_operator_routes(
    app: FastAPI, database: Database, metrics: Metrics, clock: Clock, token: str | None = None
) -> None:
    """Liveness, readiness and Prometheus metrics."""
    not_ready = QuietLog(log)  # a probe every few seconds during an outage is one line, not hundreds

    exporter = prometheus.Exporter(metrics, database.sessions)
    app.state.exporter = exporter

    @app.get("/metrics")
    async def metrics_endpoint(request: Request) -> Response:
        if not prometheus.authorized(token, request.headers.get("authorization")):
            return Response(status_code=401, content="metrics need the METRICS_TOKEN bearer token")
        return Response(await exporter.render(clock.now()), media_type=prometheus.CONTENT_TYPE)

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "alive"}

    @app.get("/readyz")
    async def readyz() -> JSONResponse:
        ready, reason = await database.readiness()
        if not ready:
            not_ready.warning("readyz", f"not ready: {reason}")
        # Details stay in the log: they can name hosts, ports and drivers.
        return JSONResponse({"ready": ready}, status_code=200 if ready else 503)
