"""Isolation, route by route: every route of the app under /web and /api/v1 is found by walking the app (a route
added tomorrow is tried too), its path parameters filled with another workspace's refs (O-1, D-1, A-1, M-1 of
workspace B). Workspace A's session and token get 404 for them (401/403 where the route wants the other kind of
credential) and never B's data; without a session or token no route answers, except the few listed below that
hold no data."""

from __future__ import annotations

import itertools
import re
from datetime import UTC, date, datetime

import httpx
from sqlalchemy import select

from models import Outcome, Person, Workspace
from services.web import signin
from tests.support.api import SECRETS, elsewhere, new_token

# Routes that answer without credentials because there is nothing of any workspace in them.
PUBLIC = {
    ("GET", "/web/sign-in/{token}"),  # the one-time link itself is the credential
    ("GET", "/web/sign-in/slack"),  # Sign in with Slack: to Slack's page
    ("GET", "/web/sign-in/slack/callback"),  # ... and back, with Slack's word for who it is
    ("GET", "/web/signed-out"),
    ("GET", "/web/static/app.css"),
    ("GET", "/api/v1/openapi.json"),  # what the API is, with no data in it
    ("GET", "/api/v1/docs"),
}
A_OWN = "Alpha's own roadmap"  # what workspace A's credentials must see, and nobody without them
PARAM = re.compile(r"\{([^}]+)\}")


def routes(app) -> list[tuple[str, str]]:
    found = {
        (method, route.path)
        for route in app.routes
        for method in getattr(route, "methods", None) or ()
        if route.path.startswith(("/web", "/api/v1")) and method in ("GET", "POST")
    }
    return sorted(found)


def filled(path: str, refs: list[str]) -> list[str]:
    """The path once for each combination of B's refs in its parameters (whatever they are called)."""
    names = PARAM.findall(path)
    paths = []
    for values in itertools.product(refs, repeat=len(names)):
        concrete = path
        for value in values:
            concrete = PARAM.sub(value, concrete, count=1)
        paths.append(concrete)
    return paths


async def credentials_of_workspace_a(harness) -> tuple[str, str]:
    """A's API token (made as a person makes one) and a dashboard session of the same person, and an outcome of
    A's own that is not numbered like any of B's."""
    token = await new_token(harness)
    async with harness.db.sessions.begin() as session:
        workspace = await session.scalar(select(Workspace).where(Workspace.team_id == harness.me.team_id))
        person = await session.scalar(select(Person).where(Person.workspace_id == workspace.id,
                                                           Person.slack_user_id == harness.me.user_id))  # fmt: skip
        session.add(Outcome(workspace_id=workspace.id, number=50, title=A_OWN, definition_of_done="x",
                            owner_id=person.id, due_date=date(2031, 1, 1)))  # fmt: skip
        cookie = await signin.open_session(session, person=person, now=datetime.now(UTC))
    return token, cookie


def client(harness, headers: dict[str, str]) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=harness.app), base_url="http://followthrough.test",
                             headers=headers)  # fmt: skip


async def ask(api: httpx.AsyncClient, method: str, path: str) -> httpx.Response:
    if method == "POST":  # a form as another site would post it: no CSRF token of ours
        return await api.post(path, data={"key": "x"})
    return await api.get(path)


async def test_workspace_a_gets_nothing_of_workspace_b_on_any_route(harness) -> None:
    refs = list((await elsewhere(harness, number=1)).values())
    token, cookie = await credentials_of_workspace_a(harness)
    every = routes(harness.app)
    assert len(every) >= 20 and any("{ref}" in path for _, path in every)
    saw_own = set()

    credentials = {"token": {"Authorization": f"Bearer {token}"}, "session": {"Cookie": f"ft_session={cookie}"}}
    for kind, headers in credentials.items():
        async with client(harness, headers) as api:
            for method, template in every:
                for path in filled(template, refs):
                    answer = await ask(api, method, path)
                    for secret in SECRETS:
                        assert secret not in answer.text, (kind, method, path, secret)
                    if A_OWN in answer.text or A_OWN.replace("'", "&#39;") in answer.text:
                        saw_own.add(kind)
                    if "{" in template and (method, template) not in PUBLIC:
                        assert answer.status_code in (401, 403, 404), (kind, method, path, answer.status_code)

    assert saw_own == {"token", "session"}  # both credentials were good: the test proved something


async def test_no_route_answers_with_data_without_a_session_or_token(harness) -> None:
    refs = list((await elsewhere(harness, number=1)).values())
    await credentials_of_workspace_a(harness)
    every = routes(harness.app)
    assert PUBLIC - set(every) == set()  # the list names real routes

    for headers in ({}, {"Cookie": "ft_session=made-up"}, {"Authorization": "Bearer ftk_made-up"}):
        async with client(harness, headers) as api:
            for method, template in every:
                for path in filled(template, refs):
                    answer = await ask(api, method, path)
                    assert A_OWN not in answer.text and A_OWN.replace("'", "&#39;") not in answer.text, path
                    for secret in SECRETS:
                        assert secret not in answer.text, (method, path, secret)
                    if (method, template) not in PUBLIC:
                        assert answer.status_code in (401, 403), (headers, method, path, answer.status_code)


async def test_a_session_of_someone_who_is_not_an_admin_gets_403_on_every_admin_route(harness) -> None:
    await new_token(harness, "Finance sheet")  # what the admin page would show
    async with harness.db.sessions.begin() as session:
        workspace = await session.scalar(select(Workspace).where(Workspace.team_id == harness.me.team_id))
        priya = Person(workspace_id=workspace.id, slack_user_id="U0PRIYA", display_name="Priya", is_admin=False)
        session.add(priya)
        await session.flush()
        cookie = await signin.open_session(session, person=priya, now=datetime.now(UTC))
    admin_routes = [(m, p) for m, p in routes(harness.app) if p.startswith("/web/admin")]
    assert len(admin_routes) >= 3

    async with client(harness, {"Cookie": f"ft_session={cookie}"}) as api:
        for method, path in admin_routes:
            answer = await ask(api, method, path)
            assert answer.status_code == 403, (method, path, answer.status_code)
            assert "Finance sheet" not in answer.text
