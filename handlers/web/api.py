"""The read API, `/api/v1`: JSON for BI tools and scripts, behind a personal token (`/followthrough token`) sent
as `Authorization: Bearer <token>`. Everything is scoped to the token's workspace: a ref of another workspace is
a 404 like one that does not exist. Lists are pages in a stable order with an opaque cursor to the next one.
The CSV exports also open with the dashboard's session cookie; the schema, `/api/v1/openapi.json`, holds no data
and needs no token."""

# No `from __future__ import annotations`: FastAPI reads the route parameters' types (the local Token) at once.
import base64
import binascii
import html
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse, Response, StreamingResponse

from bot.clock import Clock
from bot.database import Database
from handlers.web import api_models as out
from handlers.web.routes import BASE, COOKIE
from services.web import api_tokens, export, reads, signin
from services.web.api_tokens import Caller

PREFIX = "/api/v1"
DEFAULT_LIMIT = 100
NO_STORE = {"Cache-Control": "no-store"}
UNAUTHORIZED = {401: {"model": out.Problem, "description": "no token, or one that is unknown or revoked"}}
NOT_FOUND = {404: {"model": out.Problem, "description": "no such object in the token's workspace"}}
Limit = Annotated[int, Query(ge=1, le=reads.MAX_LIMIT, description="items per page (at most 500)")]
Metric = Annotated[str | None, Query(max_length=80, description="only this metric's readings (its slug)")]
Cursor = Annotated[str | None, Query(max_length=200, description="next_cursor of the previous page")]
EXPORTS = tuple(export.KINDS)


def encode(value: str | int | None) -> str | None:
    return None if value is None else base64.urlsafe_b64encode(str(value).encode()).decode().rstrip("=")


def decode(cursor: str | None) -> str | None:
    if not cursor:
        return None
    try:
        return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise HTTPException(400, "That cursor is not one this API handed out.") from None


def after_id(cursor: str | None) -> int | None:
    value = decode(cursor)
    if value is not None and not value.isdigit():
        raise HTTPException(400, "That cursor is not one this API handed out.")
    return None if value is None else int(value)


def bearer(header: str | None) -> str | None:
    scheme, _, token = (header or "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


def refused() -> HTTPException:
    detail = "Send a personal token as `Authorization: Bearer <token>`; /followthrough token in Slack makes one."
    return HTTPException(401, detail, headers={"WWW-Authenticate": "Bearer"} | NO_STORE)


def add_api_routes(app: FastAPI, database: Database, clock: Clock) -> None:
    async def caller(request: Request) -> Caller:
        async with database.sessions.begin() as session:
            found = await api_tokens.authenticate(session, token=bearer(request.headers.get("authorization")),
                                                  now=clock.now())  # fmt: skip
        if found is None:
            raise refused()
        return found

    Token = Annotated[Caller, Depends(caller)]

    def get(path: str, **kw):
        return app.get(PREFIX + path, responses=UNAUTHORIZED | kw.pop("responses", {}), **kw)

    @get("/outcomes", response_model=out.OutcomePage, summary="Outcomes with their metrics and latest readings")
    async def list_outcomes(who: Token, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None) -> out.OutcomePage:
        async with database.sessions() as session:
            page = await reads.outcomes(session, workspace_id=who.workspace.id, after=after_id(cursor), limit=limit)
            items = [out.OutcomeOut(**out.outcome(o)) for o in page.items]
        return out.OutcomePage(items=items, next_cursor=encode(page.last_id))

    @get("/outcomes/{ref}", response_model=out.OutcomeDetailOut, responses=NOT_FOUND,
             summary="One outcome (O-12): its metrics with their first readings, and its progress updates")  # fmt: skip
    async def get_outcome(ref: str, who: Token) -> out.OutcomeDetailOut:
        async with database.sessions() as session:
            found = await reads.outcome(session, workspace_id=who.workspace.id, ref=ref[:30], readings=DEFAULT_LIMIT)
            if found is None:
                raise HTTPException(404, f"There is no outcome {ref[:30]} in this workspace.")
            return out.outcome_detail(found.outcome, found.readings, found.updates, encode)

    @get("/outcomes/{ref}/readings", response_model=out.ReadingPage, responses=NOT_FOUND,
             summary="One outcome's readings, a page at a time, in the order they were recorded")  # fmt: skip
    async def list_readings(ref: str, who: Token, metric: Metric = None, limit: Limit = DEFAULT_LIMIT,
                            cursor: Cursor = None) -> out.ReadingPage:  # fmt: skip
        async with database.sessions() as session:
            found = await reads.outcome_readings(session, workspace_id=who.workspace.id, ref=ref[:30], metric=metric,
                                                 after=after_id(cursor), limit=limit)  # fmt: skip
            if found is None:
                raise HTTPException(404, f"There is no outcome {ref[:30]} in this workspace.")
            items = [
                out.MetricReadingOut(metric=r.metric.slug, **out.reading(r).model_dump()) for r in found.page.items
            ]
        return out.ReadingPage(items=items, next_cursor=encode(found.page.last_id))

    @get("/decisions", response_model=out.DecisionPage, summary="Decisions with RACI, outcome and timeline")
    async def list_decisions(who: Token, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None) -> out.DecisionPage:
        async with database.sessions() as session:
            found = await reads.decisions(session, workspace_id=who.workspace.id, after=after_id(cursor), limit=limit)
            items = [out.decision(d, found.events.get(d.id, [])) for d in found.page.items]
        return out.DecisionPage(items=items, next_cursor=encode(found.page.last_id))

    @get("/actions", response_model=out.ActionPage, summary="Action items")
    async def list_actions(who: Token, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None) -> out.ActionPage:
        async with database.sessions() as session:
            page = await reads.actions(session, workspace_id=who.workspace.id, after=after_id(cursor), limit=limit)
            items = [out.action(a) for a in page.items]
        return out.ActionPage(items=items, next_cursor=encode(page.last_id))

    @get("/meetings", response_model=out.MeetingPage, summary="Meetings with attendees and agenda")
    async def list_meetings(who: Token, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None) -> out.MeetingPage:
        async with database.sessions() as session:
            page = await reads.meetings(session, workspace_id=who.workspace.id, after=after_id(cursor), limit=limit)
            items = [out.meeting(m) for m in page.items]
        return out.MeetingPage(items=items, next_cursor=encode(page.last_id))

    @get("/findings", response_model=out.FindingPage,
             summary="Open execution-health findings, each with its evidence and recommended action")  # fmt: skip
    async def list_findings(who: Token, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None) -> out.FindingPage:
        after = decode(cursor)
        async with database.sessions.begin() as session:
            found = await reads.findings(session, workspace_id=who.workspace.id, now=clock.now())
        rest = [f for f in found if after is None or f["key"] > after]
        page, more = rest[:limit], len(rest) > limit
        items = [out.FindingOut(**f) for f in page]
        return out.FindingPage(items=items, next_cursor=encode(page[-1]["key"]) if more else None)

    _add_exports(app, database, clock)
    _add_schema(app)


def _add_exports(app: FastAPI, database: Database, clock: Clock) -> None:
    """CSV files: with a token at /api/v1/export/…, or signed in to the dashboard at /web/export/… (the session
    cookie is sent only under /web, so the dashboard links there)."""

    async def workspace_of(request: Request) -> int | None:
        async with database.sessions.begin() as session:
            token = bearer(request.headers.get("authorization"))
            if token:
                found = await api_tokens.authenticate(session, token=token, now=clock.now())
                return found.workspace.id if found else None
            viewer = await signin.viewer(session, token=request.cookies.get(COOKIE), now=clock.now())
            return viewer.workspace.id if viewer else None

    async def csv_file(what: str, request: Request) -> Response:
        workspace_id = await workspace_of(request)
        if workspace_id is None:
            raise refused()
        disposition = f'attachment; filename="followthrough-{what}-{clock.now():%Y-%m-%d}.csv"'
        rows = export.stream(database.sessions, what=what, workspace_id=workspace_id)
        return StreamingResponse(rows, media_type="text/csv; charset=utf-8",
                                 headers={"Content-Disposition": disposition} | NO_STORE)  # fmt: skip

    for what in EXPORTS:
        for base in (f"{PREFIX}/export", f"{BASE}/export"):
            app.add_api_route(f"{base}/{what}.csv", _csv_route(csv_file, what), methods=["GET"],
                              include_in_schema=base.startswith(PREFIX), responses=UNAUTHORIZED,
                              summary=f"CSV export of {what}", response_class=Response)  # fmt: skip


def _csv_route(csv_file, what: str):
    async def route(request: Request) -> Response:
        return await csv_file(what, request)

    route.__name__ = f"export_{what}"
    return route


def _add_schema(app: FastAPI) -> None:
    """The OpenAPI schema of `/api/v1` alone (the rest of the app is not an API), and a plain page listing it:
    no Swagger UI, whose assets would come from a CDN."""
    cached: dict[str, dict] = {}

    def schema() -> dict:
        if "schema" not in cached:
            routes = [r for r in app.routes if getattr(r, "path", "").startswith(PREFIX)]
            cached["schema"] = get_openapi(title="Followthrough read API", version="1", routes=routes,
                                           description=__doc__)  # fmt: skip
            cached["schema"]["components"]["securitySchemes"] = {"token": {"type": "http", "scheme": "bearer"}}
            cached["schema"]["security"] = [{"token": []}]
        return cached["schema"]

    @app.get(f"{PREFIX}/openapi.json", include_in_schema=False)
    async def openapi() -> JSONResponse:
        return JSONResponse(schema())

    @app.get(f"{PREFIX}/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        rows = "".join(
            f"<li><code>{method.upper()} {html.escape(path)}</code>: {html.escape(op.get('summary', ''))}</li>"
            for path, ops in schema()["paths"].items()
            for method, op in ops.items()
        )
        page = (f"<!doctype html><meta charset=utf-8><title>Followthrough read API</title><h1>Followthrough read "
                f"API</h1><p>Send <code>Authorization: Bearer &lt;token&gt;</code>; <code>/followthrough token</code> "
                f"in Slack makes one. The full schema: <a href='{PREFIX}/openapi.json'>openapi.json</a>.</p>"
                f"<ul>{rows}</ul>")  # fmt: skip
        return HTMLResponse(page)
