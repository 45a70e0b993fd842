"""Slack calls made while answering a request: inside the request's time budget, never inside a transaction.

Slack gives the whole answer 3 s. Each request gets a deadline when dispatch starts; every Web API call made
through the request's client is cut off at it (a hanging `views.open`, or a 429 whose Retry-After would outlast
it), and the caller gets `SlackTooSlow` to turn into a sentence. Before each call the request's database
session commits what it has done so far: on SQLite the session holds the only connection, and on PostgreSQL
a pooled connection and its row locks, so a slow Slack would otherwise stall every other request.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

REQUEST_BUDGET = 2.5  # seconds from the start of dispatch: Slack's 3 s, less the trip back


class SlackTooSlow(TimeoutError):
    """Slack did not answer within what was left of the request's budget."""


class RequestClient(AsyncWebClient):
    def __init__(self, *, deadline: float, db: AsyncSession | None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.deadline, self.db = deadline, db
        self._committing = asyncio.Lock()  # calls made side by side (asyncio.gather) commit once

    @classmethod
    def like(cls, client: AsyncWebClient, *, deadline: float, db: AsyncSession | None) -> RequestClient:
        """A copy of `client` (Bolt's, made for this request) with the budget: its settings taken over as they are,
        since going through __init__ again (user agent, proxy from the environment) cost as much as Bolt's own."""
        made = cls.__new__(cls)
        made.__dict__.update(client.__dict__)
        made.default_params = dict(client.default_params)
        made.deadline, made.db = deadline, db
        made._committing = asyncio.Lock()
        return made

    async def api_call(self, api_method: str, **kwargs: Any) -> Any:
        await self._commit_first()
        left = self.deadline - asyncio.get_running_loop().time()
        if left <= 0:
            raise SlackTooSlow(f"no time left for {api_method}")
        try:
            async with asyncio.timeout(left):
                return await super().api_call(api_method, **kwargs)
        except TimeoutError:
            raise SlackTooSlow(f"{api_method} did not answer within {left:.1f} s") from None

    async def _commit_first(self) -> None:
        """Commits what the request did so far. A timeout around the Slack call (the profile lookup's 1 s, on a
        loaded machine) could cancel the commit halfway, leaving the session unusable for the rest of the request
        ("prepared" state, PendingRollbackError): the commit is finished first, then the cancellation goes on."""
        async with self._committing:
            if self.db is None or not self.db.in_transaction():
                return
            commit = asyncio.ensure_future(self.db.commit())
            try:
                await asyncio.shield(commit)
            except asyncio.CancelledError:
                await asyncio.wait({commit})
                raise


def use_request_client(app: Any) -> None:
    """Every listener's `client` (and every later middleware's) is the request's budgeted client."""

    async def budgeted_client(context: dict, next: Callable[[], Awaitable[None]]) -> None:
        deadline = context.get("deadline") or asyncio.get_running_loop().time() + REQUEST_BUDGET
        context["client"] = RequestClient.like(context["client"], deadline=deadline, db=context.get("db"))
        await next()

    app.use(budgeted_client)
