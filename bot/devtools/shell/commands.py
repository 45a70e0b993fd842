"""The shell's own commands (`:as`, `:in`, `:home`, `:wait`, `:reply`): who acts, where, and what they see."""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import TYPE_CHECKING, Any

import httpx

from bot.settings import STANDIN_MOUNT

if TYPE_CHECKING:
    from bot.devtools.shell.repl import Shell

EARLIER_DMS = 5  # after `:as`, that person's latest direct messages from the app are shown again


class ShellCommands:
    """Mixed into Shell. Returning False from a `cmd_` method leaves the shell."""

    async def cmd_as(self: Shell, arg: str) -> None:
        await self.refresh_people()
        if not arg:
            for uid in self.directory.users:
                mark = "*" if uid == self.user else " "
                user = self.directory.users[uid]
                name, real, tz = user.get("name", uid), user.get("real_name", ""), user.get("tz", "UTC")
                self.say(f" {mark} {name:<12} {uid:<12} {real} ({tz})")
            return
        found = self.directory.find_user(arg)
        if not found:
            self.say(f"No such person: {arg}. Type :as to list people.")
            return
        if found == self.user:
            self.say(f"You are @{self.directory.user_name(found)} already.")
            return
        self.user = found
        self.target = None  # the buttons on screen were someone else's
        self.say(f"You are now @{self.directory.user_name(found)} ({found}).")
        await self.show_earlier_dms()

    async def show_earlier_dms(self: Shell) -> None:
        """What the app sent this person by direct message before, so its buttons (Answer, ...) can be pressed."""
        with contextlib.suppress(httpx.HTTPError):
            resp = await self.client.get(f"{STANDIN_MOUNT}/messages", params={"channel": self.user})
            if resp.status_code != 200:
                return
            body = resp.json()
            messages: list[dict[str, Any]] = body.get("messages") or []
            if not messages:
                return
            shown = messages[-EARLIER_DMS:]
            more = f" (the latest {len(shown)} of {len(messages)})" if len(messages) > len(shown) else ""
            self.say(f"Direct messages to @{self.directory.user_name(self.user)} so far{more}:")
            for message in shown:
                self.feed.seen_ts.add(message["ts"])
                author = self.directory.user_name(message.get("user") if message.get("user") in self.directory.users
                                                  else None)  # fmt: skip
                self.show_message(f"[DM] {author}:", message, body.get("channel"), background=False)

    async def cmd_in(self: Shell, arg: str) -> None:
        found = self.directory.find_channel(arg)
        if not found:
            known = ", ".join(f"#{n} ({c})" for c, n in self.directory.channels.items())
            self.say(f"No such channel: {arg or '(none)'}. Known: {known}; any C... id works too.")
            return
        self.channel = found
        self.say(f"Now in {self.directory.channel_name(found)}.")

    async def cmd_home(self: Shell, arg: str) -> None:
        event = {"type": "app_home_opened", "user": self.user, "channel": f"D{self.user[1:]}", "tab": "home"}
        resp = await self.sender.event(self.actor(), event)
        if resp.status_code >= 400:
            self.say(f"! the app answered HTTP {resp.status_code}: {resp.text[:300]}")

    async def cmd_wait(self: Shell, arg: str) -> None:
        try:
            seconds = float(arg or "1")
        except ValueError:
            self.say(":wait takes a number of seconds")
            return
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            await self.pump()
            await asyncio.sleep(min(0.2, max(0.0, deadline - time.monotonic())))

    async def cmd_reply(self: Shell, arg: str) -> None:
        """A plain message in the thread last shown in a channel (a reply in a check-in's thread answers it)."""
        if not arg:
            self.say(":reply takes the text to post, e.g. :reply Shipped the checklist; next, the pricing page")
            return
        if self.last_thread is None:
            self.say("No thread to reply in yet: :reply answers in the thread of the latest message in a channel.")
            return
        channel, thread_ts = self.last_thread
        text = arg.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")  # as Slack escapes a message
        resp = await self.client.post(f"{STANDIN_MOUNT}/say", json={"channel": channel, "user": self.user,
                                                                     "text": text, "thread_ts": thread_ts})  # fmt: skip
        if resp.status_code != 200:
            self.say(f"! the Slack stand-in refused the message (HTTP {resp.status_code}).")
            return
        message = resp.json()["message"]
        self.feed.seen_ts.add(message["ts"])
        event = {"type": "message", "channel": channel, "channel_type": "channel", "user": self.user,
                 "text": message["text"], "ts": message["ts"], "thread_ts": thread_ts}  # fmt: skip
        resp = await self.sender.event(self.actor(channel), event)
        if resp.status_code >= 400:
            self.say(f"! the app answered HTTP {resp.status_code}: {resp.text[:300]}")

    async def refresh_people(self: Shell) -> None:
        with contextlib.suppress(httpx.HTTPError):
            self.directory.users = {u["id"]: u for u in await self.feed.users() if u.get("id")}
