"""The app's public address (PUBLIC_URL) for links that lead back to it, such as a meeting's calendar file.

A middleware puts it in every request's context, so a listener declares `public_url: str | None` the way it
declares `now`; None when the app has no public address, and then such links are left out.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from slack_bolt.app.async_app import AsyncApp


def use_public_url(app: AsyncApp, url: str | None) -> None:
    async def provide_public_url(context: dict, next: Callable[[], Awaitable[None]]) -> None:
        context["public_url"] = url
        await next()

    app.use(provide_public_url)
