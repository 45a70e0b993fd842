"""The dashboard's admin page (/web/admin): the workspace's settings, install, API tokens and signed-in browsers,
with revoking a token and signing a person out everywhere (forms carrying the page's CSRF token). Shown in the
nav to admins only; anyone else signed in gets 403 "Admins only": the page's existence is no secret (it is in
the code), and a refusal that says why is kinder than a 404 that looks like a broken link. Another workspace's
token or person is a 404, as everywhere."""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response

from bot.clock import Clock
from bot.database import Database
from handlers.web.pages import _form, local
from handlers.web.routes import BASE, NO_STORE, SignInFirst, notice, render, require_admin
from services import people
from services.errors import Forbidden, NotFound
from services.web import admin
from services.web.signin import Viewer

Current = Callable[[Request], Awaitable[Viewer | None]]
ADMIN_PATH = f"{BASE}/admin"
REVOKE_PATH = f"{ADMIN_PATH}/tokens/revoke"
SIGN_OUT_PATH = f"{ADMIN_PATH}/sign-out-everywhere"


def add_admin_pages(app: FastAPI, database: Database, clock: Clock, current: Current, sign_in_first: SignInFirst
                    ) -> None:  # fmt: skip
    @app.get(ADMIN_PATH, include_in_schema=False)
    async def admin_page(request: Request, done: str = "") -> Response:
        viewer = await current(request)
        if (refusal := require_admin(viewer, sign_in_first)) is not None:
            return refusal
        zone = people.person_zone(viewer.person, viewer.workspace)
        async with database.sessions() as session:
            page = await admin.admin_page(session, workspace=viewer.workspace, actor=viewer.person,
                                          session_id=viewer.session_id, now=clock.now())  # fmt: skip
        return render("admin.html", viewer=viewer, page=page, shown=local(zone), zone=zone.key, done=DONE.get(done),
                      revoke_url=REVOKE_PATH, sign_out_everywhere_url=SIGN_OUT_PATH)  # fmt: skip

    async def posted(request: Request) -> tuple[Viewer | None, dict[str, str]]:
        viewer = await current(request)
        form = await _form(request)
        if viewer is None or not hmac.compare_digest(form.get("csrf", ""), viewer.csrf):  # another site's form
            return None, form
        return viewer, form

    @app.post(REVOKE_PATH, include_in_schema=False)
    async def revoke(request: Request) -> Response:
        viewer, form = await posted(request)
        if viewer is None:
            return sign_in_first(403)
        try:
            async with database.sessions.begin() as session:
                await admin.revoke_token(session, actor=viewer.person, token_id=form.get("token", ""), now=clock.now())
        except Forbidden:
            return require_admin(viewer, sign_in_first) or sign_in_first(403)
        except NotFound:
            return notice("No such token", "It may have been revoked already.", 404)
        return RedirectResponse(f"{ADMIN_PATH}?done=revoked", status_code=303, headers=NO_STORE)

    @app.post(SIGN_OUT_PATH, include_in_schema=False)
    async def sign_out_everywhere(request: Request) -> Response:
        viewer, form = await posted(request)
        if viewer is None:
            return sign_in_first(403)
        try:
            async with database.sessions.begin() as session:
                await admin.sign_out_everywhere(session, actor=viewer.person, slack_user_id=form.get("person", ""),
                                                now=clock.now())  # fmt: skip
        except Forbidden:
            return require_admin(viewer, sign_in_first) or sign_in_first(403)
        except NotFound:
            return notice("No such person", "There is nobody by that id in this workspace.", 404)
        return RedirectResponse(f"{ADMIN_PATH}?done=signed-out", status_code=303, headers=NO_STORE)


DONE = {"revoked": "Revoked: that token no longer opens anything.",
        "signed-out": "Signed out: every browser of that person needs a new link now."}  # fmt: skip
