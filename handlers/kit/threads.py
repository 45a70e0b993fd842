"""Message events, shared by every feature that reads replies in its threads (check-in rounds, meetings made
async): Bolt runs only the first listener that matches an event, so the app has one `message` listener, and
each feature adds a route that answers "is this my thread?" by handling the event and returning True.

Routes run in the order features register; the first that claims an event ends the search. A route takes the
event, the request's context (`db`, `workspace`, and `person` when the author is someone we know) and `now`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from weakref import WeakKeyDictionary

from slack_bolt.app.async_app import AsyncApp

Route = Callable[[dict, dict, datetime], Awaitable[bool]]

_routes: WeakKeyDictionary[AsyncApp, list[Route]] = WeakKeyDictionary()


def on_message(app: AsyncApp, route: Route) -> None:
    """Adds `route` to `app`'s message events; the first call registers the one listener."""
    if app in _routes:
        _routes[app].append(route)
        return
    _routes[app] = [route]

    async def message_posted(event: dict, context: dict, now: datetime) -> None:
        # Every message event must be answered (or Slack retries); Bolt acks events for us.
        for each in list(_routes[app]):
            if await each(event, context, now):
                return

    app.event("message")(message_posted)


def is_thread_reply(event: dict) -> bool:
    """A person's reply in a thread (a reply also sent to the channel included; it arrives once, as a
    thread_broadcast). Edits, deletions, bots and Slack's hidden bookkeeping messages are not replies."""
    if event.get("subtype") not in (None, "thread_broadcast") or event.get("hidden") or event.get("bot_id"):
        return False
    thread_ts, ts = event.get("thread_ts"), event.get("ts")
    return bool(thread_ts and ts and thread_ts != ts and event.get("user") and event.get("text"))
