"""`followthrough shell`: slash commands, modals and buttons typed as text against the real app."""

from __future__ import annotations

import asyncio
import contextlib
import re
import sys
import time
from datetime import datetime
from typing import IO, Any

import httpx

from bot.devtools.shell.acks import json_body
from bot.devtools.shell.commands import ShellCommands
from bot.devtools.shell.console import Console, _isatty
from bot.devtools.shell.controls import ControlActions, Target
from bot.devtools.shell.directory import Directory
from bot.devtools.shell.feed import Feed, kind_of, where
from bot.devtools.shell.modal_flow import ModalFlow
from bot.devtools.shell.render import Rendered, indent, render_message, render_view
from bot.devtools.shell.server import app_server
from bot.devtools.slack_payloads import SlackActor, SlackSender
from bot.settings import LOCAL_MOUNT, STANDIN_MOUNT, Mode, Settings
from bot.surface import COMMANDS

ESCAPED_COMMANDS = {c.name for c in COMMANDS if c.should_escape}
_MENTION = re.compile(r"(?<!\S)@[\w.\-]+")
QUIET_SECONDS = 0.3  # the feed counts as settled after this long without news
SETTLE_LIMIT = 5.0
POLL_SECONDS = 0.5

HELP = """\
Type slash commands as in Slack, e.g. /followthrough help
Shell commands:
  :help              this text
  :as NAME|ID        act as another person (without a name: list people)
  :in #channel|C...  type commands in another channel
  :home              open the app's Home tab
  :click N           press button N of the latest message or view with buttons (N or its label)
  :select N ANSWER   choose in select menu N (an option number or label, a name, a date...)
  :reply TEXT        reply in the thread of the latest channel message (a check-in answer, say)
  :wait SECONDS      wait and show whatever arrives (scheduled messages)
  :say TEXT          write TEXT in the channel as yourself (a message to use a shortcut on)
  :shortcut [N] [W]  a message shortcut on the latest message shown, or the Nth latest: Create action item,
                     or the one whose name has the word W (`:shortcut insight` for Add as insight)
  :quit              leave (end of input works too)
After each line the shell waits for the app's replies (those it sends at once), so a script needs :wait only
for what is scheduled later.
In a modal: answer each field; Enter keeps the [default]; :clear empties an optional field; :cancel closes."""


_WOKEN = object()


class Shell(ModalFlow, ControlActions, ShellCommands):
    def __init__(self, console: Console, client: httpx.AsyncClient, sender: SlackSender, feed: Feed,
                 directory: Directory, *, user: str, channel: str):  # fmt: skip
        self.console = console
        self.client = client
        self.sender = sender
        self.feed = feed
        self.directory = directory
        self.user = user
        self.channel = channel
        self.interactive = console.interactive
        self.target: Target | None = None
        self.modal_stack: list[dict[str, Any]] = []
        self.pending_views: list[dict[str, Any]] = []
        self.view_ready = asyncio.Event()
        self.feed_lock = asyncio.Lock()
        self.quitting = False
        self.triggers: set[str] = set()  # minted by this shell's clicks: only the modals they open are ours
        self.views: set[str] = set()  # view ids this shell opened, so their updates are ours too
        self.last_thread: tuple[str, str] | None = None  # (channel, thread ts) that `:reply` answers in
        self.shown: list[dict[str, Any]] = []  # channel messages shown, latest last, for :shortcut

    # ---- who and where

    def actor(self, channel: str | None = None) -> SlackActor:
        channel = channel or self.channel
        return SlackActor(
            user_id=self.user,
            user_name=self.directory.user_name(self.user),
            channel_id=channel,
            channel_name=self.directory.channel_name(channel).lstrip("#"),
        )

    @property
    def prompt(self) -> str:
        return f"{self.directory.user_name(self.user)}@{self.directory.channel_name(self.channel)}> "

    def say(self, text: str = "", *, background: bool = False) -> None:
        if background:
            self.console.notify(text)
        else:
            self.console.write(text)

    # ---- the loop

    async def run(self) -> int:
        poller = asyncio.create_task(self.poll_forever()) if self.interactive else None
        try:
            while True:
                if self.quitting:
                    return 0
                if self.pending_views:
                    await self.open_pending_views()
                    await self.settle()  # what the modal's submission set off, before the next line
                    continue
                line = await self.next_line()
                if line is _WOKEN:
                    continue
                if line is None:
                    return 0
                try:
                    if not await self.dispatch(str(line).strip()) or self.quitting:
                        return 0
                except httpx.HTTPError as exc:
                    self.say(f"! could not reach the app: {exc!r}")
        finally:
            if poller:
                poller.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await poller

    async def next_line(self) -> object:
        if not self.interactive:
            return await self.console.read(self.prompt)
        self.view_ready.clear()
        read = asyncio.ensure_future(self.console.read(self.prompt))
        wake = asyncio.ensure_future(self.view_ready.wait())
        done, _ = await asyncio.wait({read, wake}, return_when=asyncio.FIRST_COMPLETED)
        if read in done:
            wake.cancel()
            return read.result()
        read.cancel()
        self.console.write()
        return _WOKEN

    async def dispatch(self, line: str) -> bool:
        """Run one typed line; False means leave."""
        if not line:
            return True
        if line.startswith("/"):
            await self.slash(line)
        elif line.startswith(":"):
            name, _, arg = line[1:].partition(" ")
            handler = getattr(self, f"cmd_{name.lower()}", None)
            if handler is None:
                self.say(f"Unknown shell command :{name}. Type :help.")
                return True
            if await handler(arg.strip()) is False:
                return False
        else:
            self.say("Type a slash command such as /followthrough help, or :help for shell commands.")
            return True
        await self.settle()
        return True

    # ---- feed

    async def pump(self, *, background: bool = False) -> int:
        async with self.feed_lock:
            items = await self.feed.poll()
            for item in items:
                self.show_item(item, background=background)
            return len(items)

    async def settle(self, quiet: float = QUIET_SECONDS, limit: float = SETTLE_LIMIT) -> None:
        """Show what arrives until the feed has been quiet for `quiet` seconds and the app has no message due
        and unsent (its replies go through the outbox, up to a second later); at most `limit` seconds."""
        start = last = time.monotonic()
        while True:
            now = time.monotonic()
            if await self.pump():
                last = now
            elif now - start >= limit:
                return
            elif now - last >= quiet and not await self.app_busy():
                return
            await asyncio.sleep(0.05)

    async def app_busy(self) -> bool:
        """Whether the app has messages due and not sent yet (an app without the local route: never)."""
        try:
            resp = await self.client.get(f"{LOCAL_MOUNT}/outbox")
        except httpx.HTTPError:
            return False
        return resp.status_code == 200 and (json_body(resp) or {}).get("due", 0) > 0

    async def poll_forever(self) -> None:
        while True:
            await asyncio.sleep(POLL_SECONDS)
            try:
                await self.pump(background=True)
            except httpx.HTTPError as exc:
                self.say(f"! feed: {exc}", background=True)
                await asyncio.sleep(2)
            if self.pending_views:
                self.view_ready.set()

    def show_item(self, item: dict[str, Any], *, background: bool = False) -> None:
        if not self.feed.relevant(item, self.user):
            return
        kind = kind_of(item)
        stamp = datetime.now().strftime("%H:%M:%S ") if self.interactive else ""
        # Anyone not among the workspace's people is the app itself (its bot user).
        author = item.get("user") if item.get("user") in self.directory.users else None
        author = self.directory.user_name(author)
        if kind == "view":
            if self.is_ours(item):
                self.pending_views.append(item)
            return
        if kind == "message":
            if item.get("ts"):
                self.feed.seen_ts.add(item["ts"])
                self.shown = [*self.shown[-49:], item]
            header = f"{stamp}[{where(item, self.directory)}] {author}:"
            self.show_message(header, item, item.get("channel"), background=background)
        elif kind == "ephemeral":
            header = f"{stamp}[{where(item, self.directory)}, only visible to you] {author}:"
            message = {**item, "is_ephemeral": True, "ts": item.get("ts") or f"{time.time():.6f}"}
            self.show_message(header, message, item.get("channel"), background=background)
        elif kind == "update":
            header = f"{stamp}[{where(item, self.directory)}] (message {item.get('ts')} edited):"
            self.show_message(header, item, item.get("channel"), background=background)
        elif kind == "delete":
            place = where(item, self.directory)
            self.say(f"{stamp}[{place}] (message {item.get('ts')} deleted)", background=background)
        elif kind == "response":
            self.show_response(item, stamp, background=background)
        elif kind == "home":
            view = {**(item.get("view") or {}), "type": "home"}
            view.setdefault("id", item.get("view_id") or f"VHOME{self.user}")
            self.show_view(view, background=background)

    def is_ours(self, item: dict[str, Any]) -> bool:
        """A modal opened by one of this shell's clicks (another shell acting as the same person has its own)."""
        if item.get("trigger_id"):
            return item["trigger_id"] in self.triggers
        return item.get("view_id") in self.views

    def show_response(self, item: dict[str, Any], stamp: str, *, background: bool) -> None:
        payload = item.get("payload") or {}
        channel = self.feed.response_keys.get(item.get("key", ""), self.channel)
        place = self.directory.channel_name(channel)
        # Replacing or deleting the message whose buttons are numbered retires those buttons.
        original = self.target is not None and self.target.response_key == item.get("key")
        if original and (payload.get("replace_original") or payload.get("delete_original")):
            self.target = None
        if payload.get("delete_original"):
            self.say(f"{stamp}[{place}] (the app removed the message)", background=background)
            return
        visible = "" if payload.get("response_type") == "in_channel" else ", only visible to you"
        replaced = " (replacing the message)" if payload.get("replace_original") else ""
        header = f"{stamp}[{place}{visible}] Followthrough{replaced}:"
        message = {"type": "message", "text": payload.get("text"), "blocks": payload.get("blocks") or [],
                   "ts": f"{time.time():.6f}", "is_ephemeral": bool(visible)}  # fmt: skip
        self.show_message(header, message, channel, background=background)

    def show_message(self, header: str, item: dict[str, Any], channel: str | None, *, background: bool) -> None:
        if channel and channel[0] in "CG" and item.get("ts") and not item.get("is_ephemeral"):
            self.last_thread = (channel, item.get("thread_ts") or item["ts"])
        rendered = render_message(item.get("text"), item.get("blocks"), self.directory)
        self.say(header + "\n" + indent(rendered.text or "(empty message)"), background=background)
        if rendered.controls:
            message = {"type": "message", "ts": item.get("ts"), "text": item.get("text") or "",
                       "blocks": item.get("blocks") or [], "is_ephemeral": bool(item.get("is_ephemeral"))}  # fmt: skip
            if item.get("thread_ts"):
                message["thread_ts"] = item["thread_ts"]
            self.target = Target(rendered.controls, message=message, channel=channel or self.channel)

    def show_view(self, view: dict[str, Any], *, skip_inputs: bool = False, background: bool = False) -> Rendered:
        rendered = render_view(view, self.directory, skip_inputs=skip_inputs)
        self.say(rendered.text, background=background)
        if rendered.controls:
            self.target = Target(rendered.controls, view=view)
        return rendered

    # ---- slash commands

    async def slash(self, line: str) -> None:
        command, _, text = line.partition(" ")
        if command in ESCAPED_COMMANDS:  # Slack turns `@alex` into `<@U0ALEX|alex>` for these
            text = _MENTION.sub(lambda m: self.escaped_mention(m[0]), text)
        resp = await self.sender.command(self.actor(), command, text.strip())
        self.feed.remember_response_url(self.sender.sent[-1].get("response_url"), self.channel)
        if resp.status_code == 404:
            self.say(f"! {command} is not a command this app answers.")
            return
        self.show_ack(resp)

    def escaped_mention(self, typed: str) -> str:
        found = self.directory.find_user(typed)
        return f"<@{found}|{self.directory.user_name(found)}>" if found else typed

    def show_ack(self, resp: httpx.Response) -> None:
        if resp.status_code >= 400:
            self.say(f"! the app answered HTTP {resp.status_code}: {resp.text[:300]}")
            return
        body = json_body(resp)
        if body is None:
            if resp.text.strip():
                self.say(f"[{self.directory.channel_name(self.channel)}, only visible to you] Followthrough:")
                self.say(indent(resp.text.strip()))
            return
        if body.get("text") or body.get("blocks"):
            visible = "" if body.get("response_type") == "in_channel" else ", only visible to you"
            header = f"[{self.directory.channel_name(self.channel)}{visible}] Followthrough:"
            message = {**body, "ts": f"{time.time():.6f}", "is_ephemeral": bool(visible)}
            self.show_message(header, message, self.channel, background=False)

    # ---- shell commands (":name arg"); returning False leaves

    async def cmd_help(self, arg: str) -> None:
        self.say(HELP)

    async def cmd_quit(self, arg: str) -> bool:
        return False

    cmd_exit = cmd_q = cmd_quit


def _interactive(stdin: IO[str]) -> bool:
    return _isatty(stdin)


async def run_shell(
    settings: Settings,
    *,
    url: str | None = None,
    user: str = "U0LOCAL",
    channel: str = "C0GENERAL",
    stdin: IO[str] = sys.stdin,
    stdout: IO[str] = sys.stdout,
) -> int:
    """Drive the app as a Slack user from a terminal or a script; returns the exit status. `user` and `channel`
    are names or ids, resolved as `:as` and `:in` resolve them."""
    console = Console(stdin, stdout, interactive=_interactive(stdin))
    url = (url or f"http://127.0.0.1:{settings.port}").rstrip("/")
    if settings.mode is not Mode.LOCAL:
        from bot.devtools.shell.server import is_up

        if not await is_up(url):
            console.write(f"No app answers at {url}, and the shell starts one itself only in local mode "
                          "(without Slack credentials). Start the app, or pass its URL.")  # fmt: skip
            return 2
    async with app_server(settings, url) as (base, started):
        if started:
            console.write(f"Started Followthrough in this process at {base} (local mode, Slack stand-in).")
        else:
            console.write(f"Using the Followthrough app already running at {base}.")
        async with httpx.AsyncClient(base_url=base, timeout=30.0) as client:
            shell = await _connect(console, client, settings, base, started=started, user=user, channel=channel)
            if shell is None:
                return 2
            console.write(
                f"You are @{shell.directory.user_name(shell.user)} in {shell.directory.channel_name(shell.channel)}. "
                "Type :help for shell commands, or a slash command such as /followthrough help."
            )
            await shell.show_earlier_dms()  # as `:as` does: their buttons can be pressed straight away
            if not _interactive(stdin):
                await shell.settle()
            return await shell.run()


async def _connect(console: Console, client: httpx.AsyncClient, settings: Settings, base: str, *, started: bool,
                   user: str, channel: str) -> Shell | None:  # fmt: skip
    """The shell, talking to the app at `base` as `user` in `channel`; None (and why, in words) if it can't."""
    feed = Feed(client)
    try:
        if not started:
            await feed.skip_history()
        people = await feed.users()
    except httpx.HTTPStatusError as exc:
        console.write(f"No local Slack stand-in at {base}{STANDIN_MOUNT} (HTTP {exc.response.status_code});"
                      " the shell needs the app in local mode.")  # fmt: skip
        return None
    directory = Directory.from_users(people, await feed.channels())
    user_id, channel_id = directory.find_user(user), directory.find_channel(channel)
    if user_id is None:
        names = ", ".join(u.get("name", uid) for uid, u in directory.users.items() if not u.get("is_bot"))
        console.write(f"No such person: {user}. People here: {names} (a name or a Slack user id).")
        return None
    if channel_id is None:
        known = ", ".join(f"#{n}" for n in directory.channels.values())
        console.write(f"No such channel: {channel}. Channels here: {known} (a #name or a Slack channel id).")
        return None
    triggers: set[str] = set()

    async def mint_trigger(user_id: str) -> str:
        # Slack mints a trigger id per click; the stand-in checks them, so it must mint ours too.
        reply = await client.post(f"{STANDIN_MOUNT}/trigger", params={"user_id": user_id})
        trigger = str(reply.json()["trigger_id"])
        triggers.add(trigger)
        return trigger

    sender = SlackSender(
        client, settings.signing_secret, f"{base}{STANDIN_MOUNT}/response", trigger_id_factory=mint_trigger
    )
    shell = Shell(console, client, sender, feed, directory, user=user_id, channel=channel_id)
    shell.triggers = triggers
    return shell


__all__ = ["Shell", "run_shell"]
