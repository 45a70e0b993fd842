"""The stand-in's record of what the app sent to Slack, read in order and filtered for one person."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

from bot.devtools.shell.directory import Directory
from bot.settings import STANDIN_MOUNT

DM_RECIPIENT_KEYS = ("dm_user", "recipient", "to")  # how the stand-in may name a DM's person


def kind_of(item: dict[str, Any]) -> str:
    return item.get("kind") or item.get("type") or ""


@dataclass
class Feed:
    client: httpx.AsyncClient  # based at the server's root URL
    cursor: int = 0
    response_keys: dict[str, str] = field(default_factory=dict)  # response_url key -> channel it came from
    seen_ts: set[str] = field(default_factory=set)

    async def skip_history(self) -> None:
        """Start after whatever the server already sent, so attaching to a running app is quiet."""
        while True:
            batch = await self.poll()
            if not batch:
                return

    async def poll(self) -> list[dict[str, Any]]:
        resp = await self.client.get(f"{STANDIN_MOUNT}/feed", params={"after": self.cursor})
        resp.raise_for_status()
        body = resp.json()
        self.cursor = body.get("next", self.cursor)
        return list(body.get("items") or [])

    async def users(self) -> list[dict[str, Any]]:
        resp = await self.client.get(f"{STANDIN_MOUNT}/users")
        resp.raise_for_status()
        return list(resp.json().get("users") or [])

    async def channels(self) -> dict[str, str]:
        """Channel names, if the stand-in lists them (it may not; ids still work)."""
        try:
            resp = await self.client.get(f"{STANDIN_MOUNT}/channels")
        except httpx.HTTPError:
            return {}
        if resp.status_code != 200:
            return {}
        body = resp.json()
        return {c["id"]: c.get("name", c["id"]) for c in body.get("channels") or [] if c.get("id")}

    def remember_response_url(self, url: str | None, channel: str) -> None:
        if url:
            self.response_keys[url.rstrip("/").rsplit("/", 1)[-1]] = channel

    def relevant(self, item: dict[str, Any], user: str) -> bool:
        kind = kind_of(item)
        if kind == "message":
            channel = item.get("channel") or ""
            if channel.startswith("D"):
                recipients = [item[k] for k in DM_RECIPIENT_KEYS if item.get(k)]
                return not recipients or user in recipients
            return True
        if kind in ("ephemeral", "view", "home"):
            return item.get("user") == user
        if kind in ("update", "delete"):
            channel = item.get("channel") or ""
            someone_elses_dm = channel.startswith("D") and channel != f"D{user}"
            return item.get("ts") in self.seen_ts and not someone_elses_dm
        if kind == "response":
            return item.get("key") in self.response_keys
        return False


def where(item: dict[str, Any], directory: Directory) -> str:
    """`#general`, `#general, thread 1712.0001` or `DM` for a message-like item."""
    place = directory.channel_name(item.get("channel"))
    thread = item.get("thread_ts")
    if thread and thread != item.get("ts"):
        place += f", thread {thread}"
    return place
