"""The dashboard's routes: sign in by a one-time link (or with Slack, when OAuth is set up), the overview, sign
out. A page without a session says how to get one; nothing about any workspace is shown to a browser that has
none. `require_admin` guards what only a workspace admin may see (handlers/web/admin.py)."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs

from fastapi import BackgroundTasks, FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import select

from bot.clock import Clock
from bot.database import Database
from handlers.web.channel_names import ChannelNamer, Lookup
from handlers.web.slack_sign_in import SLACK_SIGN_IN_PATH, SlackSignIn, add_slack_sign_in
from models import Outcome, OutcomeStatus, Person
from services.web import health_page, signin
from services.web import overview as overviews
from services.web.signin import Viewer

HERE = Path(__file__).parent
BASE = "/web"
SIGN_IN_PATH = f"{BASE}/sign-in/{{token}}"
COOKIE = "ft_session"
NO_STORE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"}
STATUSES = [(s.value, s.value.replace("_", " ")) for s in OutcomeStatus]

pages = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]))


def render(name: str, status: int = 200, **context) -> HTMLResponse:
    context |= {"static_url": f"{BASE}/static/app.css", "sign_out_url": f"{BASE}/sign-out"}
    return HTMLResponse(pages.get_template(name).render(**context), status_code=status, headers=NO_STORE)


def notice(heading: str, text: str, status: int, slack_sign_in: str | None = None) -> HTMLResponse:
    return render("notice.html", status, heading=heading, text=text, viewer=None, slack_sign_in=slack_sign_in)


SIGN_IN_FIRST = (
    "Sign in first",
    "Type /followthrough dashboard in Slack: it answers with a link, just for you, that signs you in here.",
)


SignInFirst = Callable[[int], HTMLResponse]


def require_admin(viewer: Viewer | None, sign_in_first: SignInFirst) -> HTMLResponse | None:
    """None when the viewer is a workspace admin; otherwise the page to answer with instead."""
    if viewer is None:
        return sign_in_first(401)
    if not viewer.person.is_admin:
        return notice("Admins only", "Only a workspace admin can open this page.", 403)
    return None


def add_web_routes(
    app: FastAPI,
    database: Database,
    clock: Clock,
    *,
    secure_cookies: bool = False,
    slack_sign_in: SlackSignIn | None = None,
    channel_lookup: Lookup | None = None,
) -> None:
    namer = ChannelNamer(database, clock, channel_lookup)

    async def current(request: Request) -> Viewer | None:
        async with database.sessions() as session:
            return await signin.viewer(session, token=request.cookies.get(COOKIE), now=clock.now())

    def sign_in_first(status: int) -> HTMLResponse:
        return notice(*SIGN_IN_FIRST, status, slack_sign_in=SLACK_SIGN_IN_PATH if slack_sign_in else None)

    def signed_in(request: Request, opened: str) -> Response:
        """To the overview, with the new session's cookie."""
        response = RedirectResponse(f"{BASE}/", status_code=303, headers=NO_STORE)
        secure = secure_cookies or request.url.scheme == "https"
        response.set_cookie(COOKIE, opened, max_age=int(signin.SESSION_LIFETIME.total_seconds()), path=BASE,
                            httponly=True, samesite="lax", secure=secure)  # fmt: skip
        return response

    @app.get(f"{BASE}/static/app.css", include_in_schema=False)
    async def stylesheet() -> Response:
        return FileResponse(HERE / "static" / "app.css", media_type="text/css")

    # Before the one-time link's route, which would take "slack" for a token.
    add_slack_sign_in(app, database, clock, slack_sign_in, notice=notice, signed_in=signed_in)

    @app.get(SIGN_IN_PATH, include_in_schema=False)
    async def sign_in(token: str, request: Request) -> Response:
        async with database.sessions.begin() as session:
            opened = await signin.redeem(session, token=token[:100], now=clock.now())
        if opened is None:
            return notice("This link can't sign you in", "It has been used already or is more than ten minutes "
                          "old. Type /followthrough dashboard in Slack for a new one.", 410)  # fmt: skip
        return signed_in(request, opened)

    @app.get(f"{BASE}/", include_in_schema=False)
    async def overview(request: Request, background: BackgroundTasks, owner: str = "", status: str = "",
                       channel: str = "", priority: str = "", closed: str = "") -> Response:  # fmt: skip
        viewer = await current(request)
        if viewer is None:
            return sign_in_first(401)
        filters = overviews.Filters(owner=owner[:32] or None, status=status[:20] or None,
                                    channel=channel[:32] or None, priority=priority[:20] or None,
                                    open_only=not closed)  # fmt: skip
        async with database.sessions() as session:
            shown = await overviews.overview(session, workspace_id=viewer.workspace.id, now=clock.now(),
                                             filters=filters)  # fmt: skip
            owners = await _owners(session, viewer.workspace.id)
            findings = await health_page.open_count(session, workspace_id=viewer.workspace.id, now=clock.now())
            names = await namer.names(session, workspace=viewer.workspace, channel_ids=shown.channels,
                                      background=background)  # fmt: skip
        return render("overview.html", viewer=viewer, groups=shown.groups, filters=filters, owners=owners,
                      statuses=STATUSES, channels=shown.channels, priorities=shown.priorities,
                      findings=findings, channel_names=names)  # fmt: skip

    @app.post(f"{BASE}/sign-out", include_in_schema=False)
    async def sign_out(request: Request) -> Response:
        viewer = await current(request)
        sent = parse_qs((await request.body())[:4096].decode(errors="replace")).get("csrf", [""])[0]
        if viewer is None or not hmac.compare_digest(sent, viewer.csrf):  # a form from another site: no
            return sign_in_first(403)
        async with database.sessions.begin() as session:
            await signin.sign_out(session, viewer=viewer, now=clock.now())
        response = RedirectResponse(f"{BASE}/signed-out", status_code=303, headers=NO_STORE)
        response.delete_cookie(COOKIE, path=BASE)
        return response

    @app.get(f"{BASE}/signed-out", include_in_schema=False)
    async def signed_out() -> Response:
        return notice("Signed out", "This browser no longer has access. /followthrough dashboard signs you in "
                      "again.", 200)  # fmt: skip

    from handlers.web import pages  # the outcome and health pages; imported here, as they use render()

    pages.add_pages(app, database, clock, current, sign_in_first)
    from handlers.web import more_pages  # decisions, people, meetings and check-ins

    more_pages.add_more_pages(app, database, clock, current, sign_in_first, namer)
    from handlers.web import admin  # the admin page

    admin.add_admin_pages(app, database, clock, current, sign_in_first)


async def _owners(session, workspace_id: int) -> list[tuple[str, str]]:
    query = (
        select(Person.slack_user_id, Person.display_name)
        .join(Outcome, Outcome.owner_id == Person.id)
        .where(Outcome.workspace_id == workspace_id)
        .distinct()
    )
    return sorted(((uid, name or uid) for uid, name in (await session.execute(query)).all()), key=lambda p: p[1])
