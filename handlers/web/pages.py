"""The dashboard's outcome and health pages: an outcome's charts (readings against the planned path and the trend,
status changes marked) beside its updates, insights, decisions and action items; the workspace's findings with
what each recommends, a way into Slack to act on it, and snoozing from the page (a form carrying the page's CSRF
token). Every query is scoped to the viewer's workspace: another workspace's ref is simply not found."""

from __future__ import annotations

import asyncio
import hmac
from collections.abc import Awaitable, Callable
from datetime import datetime
from urllib.parse import parse_qs, urlencode
from zoneinfo import ZoneInfo

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup

from bot.clock import Clock
from bot.database import Database
from handlers.web import charts
from handlers.web.routes import BASE, NO_STORE, SignInFirst, notice, render
from services import people
from services.errors import Forbidden, NotFound
from services.web import health_page, outcome_page
from services.web.signin import Viewer

Current = Callable[[Request], Awaitable[Viewer | None]]
HEALTH_PATH = f"{BASE}/health"
SNOOZE_PATH = f"{BASE}/health/snooze"


def local(zone: ZoneInfo) -> Callable[[datetime | None], str]:
    def shown(at: datetime | None) -> str:
        return "" if at is None else f"{at.astimezone(zone):%-d %b %Y, %H:%M}"

    return shown


def slack_channel_link(team_id: str, channel_id: str | None) -> str | None:
    """Slack's own redirect: opens the channel in the app (or the browser) in the right workspace."""
    if not channel_id:
        return None
    return "https://slack.com/app_redirect?" + urlencode({"team": team_id, "channel": channel_id})


async def _form(request: Request) -> dict[str, str]:
    fields = parse_qs((await request.body())[:4096].decode(errors="replace"))
    return {name: values[0] for name, values in fields.items()}


def add_pages(app: FastAPI, database: Database, clock: Clock, current: Current, sign_in_first: SignInFirst) -> None:
    @app.get(f"{BASE}/outcomes/{{ref}}", include_in_schema=False)
    async def outcome(ref: str, request: Request) -> Response:
        viewer = await current(request)
        if viewer is None:
            return sign_in_first(401)
        async with database.sessions() as session:
            page = await outcome_page.outcome_page(session, workspace_id=viewer.workspace.id, ref=ref)
        if page is None:
            return notice("No such outcome", f"There is no {ref[:20]} in this workspace.", 404)
        zone = people.person_zone(viewer.person, viewer.workspace)
        svgs = await asyncio.gather(*(charts.svg_async(chart, page.marks, zone) for chart in page.charts))
        drawn = [Markup(svg) for svg in svgs]  # noqa: S704
        return render("outcome.html", viewer=viewer, page=page, charts=list(zip(page.charts, drawn, strict=True)),
                      shown=local(zone), zone=zone.key)  # fmt: skip

    @app.get(HEALTH_PATH, include_in_schema=False)
    async def findings(request: Request, snoozed: str = "") -> Response:
        viewer = await current(request)
        if viewer is None:
            return sign_in_first(401)
        async with database.sessions.begin() as session:
            rows = await health_page.findings_page(session, viewer=viewer.person, now=clock.now())
        team = viewer.workspace.team_id
        links = {row.key: slack_channel_link(team, row.channel_id) for row in rows}
        return render("health.html", viewer=viewer, rows=rows, links=links, snooze_url=SNOOZE_PATH,
                      snoozed=bool(snoozed))  # fmt: skip

    @app.post(SNOOZE_PATH, include_in_schema=False)
    async def snooze(request: Request) -> Response:
        viewer = await current(request)
        form = await _form(request)
        if viewer is None or not hmac.compare_digest(form.get("csrf", ""), viewer.csrf):  # another site's form
            return sign_in_first(403)
        try:
            async with database.sessions.begin() as session:
                await health_page.snooze(session, viewer=viewer.person, key=form.get("key", ""), now=clock.now())
        except NotFound:
            return notice("No such finding", "It may have been settled already.", 404)
        except Forbidden as exc:
            return notice("Not yours to snooze", str(exc), 403)
        return RedirectResponse(f"{HEALTH_PATH}?snoozed=1", status_code=303, headers=NO_STORE)
