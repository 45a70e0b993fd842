"""The app's public address (PUBLIC_URL) for links that lead back to it, such as a meeting's calendar file.

A middleware puts it in every request's context, so a listener declares `public_url: str | None` the way it
declares `now`; None when the app has no public address, and then such links are left out.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from slack_bolt.app.async_app import AsyncApp


def use_public_url(app: AsyncApp, url: str | None, app_url: str | None = None) -> None:
    """Also `app_url`: where a browser reaches the app (PUBLIC_URL, or this machine in local mode), for links a
    person opens themselves, such as the dashboard's sign-in link."""

    async def provide_public_url(context: dict, next: Callable[[], Awaitable[None]]) -> None:
        context["public_url"] = url
        context["app_url"] = app_url or url
        await next()

    app.use(provide_public_url)
