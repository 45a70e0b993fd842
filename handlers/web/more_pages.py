"""The dashboard's decisions log (search by text, person, outcome and dates; one decision with its history), the
people page (each person's load: the bottleneck view) and the meetings and check-ins page (series health and
check-in participation over time). Each is scoped to the viewer's workspace and shows times in the viewer's zone;
another workspace's ref is not found."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date

from fastapi import BackgroundTasks, FastAPI, Request
from fastapi.responses import Response
from markupsafe import Markup

from bot.clock import Clock
from bot.database import Database
from handlers.web import charts
from handlers.web.channel_names import ChannelNamer
from handlers.web.pages import local
from handlers.web.routes import BASE, SignInFirst, notice, render
from services import people
from services.web import decisions_page, meetings_page, people_page
from services.web.signin import Viewer

Current = Callable[[Request], Awaitable[Viewer | None]]


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def _page(text: str) -> int:
    return int(text) if text.isdigit() and len(text) < 7 else 1


def add_more_pages(app: FastAPI, database: Database, clock: Clock, current: Current, sign_in_first: SignInFirst,
                   namer: ChannelNamer) -> None:  # fmt: skip
    @app.get(f"{BASE}/decisions", include_in_schema=False)
    async def decisions(request: Request, q: str = "", person: str = "", outcome: str = "", since: str = "",
                        until: str = "", page: str = "1") -> Response:  # fmt: skip
        viewer = await current(request)
        if viewer is None:
            return sign_in_first(401)
        zone = people.person_zone(viewer.person, viewer.workspace)
        filters = decisions_page.Filters(text=q, person=person, outcome=outcome, since=_day(since),
                                         until=_day(until), page=_page(page))  # fmt: skip
        async with database.sessions() as session:
            found = await decisions_page.log(session, workspace_id=viewer.workspace.id, filters=filters, zone=zone)
            who, outcomes = await decisions_page.choices(session, workspace_id=viewer.workspace.id)
        query = {"q": q, "person": person, "outcome": outcome, "since": since, "until": until}
        return render("decisions.html", viewer=viewer, log=found, filters=filters, people=who, outcomes=outcomes,
                      query={k: v for k, v in query.items() if v}, shown=local(zone), zone=zone.key)  # fmt: skip

    @app.get(f"{BASE}/decisions/{{ref}}", include_in_schema=False)
    async def decision(ref: str, request: Request) -> Response:
        viewer = await current(request)
        if viewer is None:
            return sign_in_first(401)
        zone = people.person_zone(viewer.person, viewer.workspace)
        async with database.sessions() as session:
            found = await decisions_page.detail(session, workspace_id=viewer.workspace.id, ref=ref, zone=zone)
        if found is None:
            return notice("No such decision", f"There is no {ref[:20]} in this workspace.", 404)
        return render("decision.html", viewer=viewer, d=found, shown=local(zone), zone=zone.key)

    @app.get(f"{BASE}/people", include_in_schema=False)
    async def load(request: Request) -> Response:
        viewer = await current(request)
        if viewer is None:
            return sign_in_first(401)
        zone = people.person_zone(viewer.person, viewer.workspace)
        async with database.sessions() as session:
            now = clock.now()
            rows = await people_page.load(
                session, workspace_id=viewer.workspace.id, today=now.astimezone(zone).date(), now=now
            )
        return render("people.html", viewer=viewer, rows=rows)

    @app.get(f"{BASE}/meetings", include_in_schema=False)
    async def meetings(request: Request, background: BackgroundTasks) -> Response:
        viewer = await current(request)
        if viewer is None:
            return sign_in_first(401)
        zone = people.person_zone(viewer.person, viewer.workspace)
        async with database.sessions() as session:
            page = await meetings_page.meetings_page(session, workspace_id=viewer.workspace.id)
            names = await namer.names(session, workspace=viewer.workspace, background=background,
                                      channel_ids=[c.channel_id for c in page.cadences])  # fmt: skip
        chart = Markup(await charts.participation_svg_async(page.cadences)) if page.cadences else None  # noqa: S704
        return render("meetings.html", viewer=viewer, page=page, chart=chart, shown=local(zone), zone=zone.key,
                      channel_names=names)  # fmt: skip
