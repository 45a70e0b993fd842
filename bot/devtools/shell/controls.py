"""Pressing buttons and choosing in menus of the latest message or view (`:click N`, `:select N answer`), writing
a message (`:say`) and using a message shortcut on one shown (`:shortcut N`, `:shortcut insight`)."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from bot.devtools.shell.acks import options_of, pick_first
from bot.devtools.shell.modal import AnswerError, parse_answer
from bot.devtools.shell.render import SELECT_TYPES, Control, text_of
from bot.settings import STANDIN_MOUNT
from bot.surface import MESSAGE_SHORTCUTS

if TYPE_CHECKING:
    from bot.devtools.shell.repl import Shell


@dataclasses.dataclass
class Target:
    """Where the numbered controls live: a message (with its channel) or a view."""

    controls: list[Control]
    message: dict[str, Any] | None = None
    channel: str | None = None
    view: dict[str, Any] | None = None
    response_key: str | None = None  # the response_url key of the last action on this message


class ControlActions:
    """Mixed into Shell."""

    async def cmd_click(self: Shell, arg: str) -> None:
        control = self.find_control(arg, buttons=True)
        if control is None or self.target is None:
            return
        confirm = control.element.get("confirm")
        if confirm:
            self.say(f"{text_of(confirm.get('title'), self.directory)}: {text_of(confirm.get('text'), self.directory)}")
            answer = await self.ask(f"{text_of(confirm.get('confirm'), self.directory) or 'Confirm'}? [y/N] ")
            if (answer or "").strip().lower() not in ("y", "yes"):
                return
        action = {key: control.element[key] for key in ("type", "action_id", "text", "value", "style", "url")
                  if key in control.element}  # fmt: skip
        await self.send_action(control, action)

    async def cmd_select(self: Shell, arg: str) -> None:
        number, _, answer = arg.partition(" ")
        control = self.find_control(number, buttons=False)
        if control is None or self.target is None:
            return
        element = control.element
        try:
            if element.get("type") in ("external_select", "multi_external_select"):
                view = self.target.view
                resp = await self.sender.options(self.actor(), element.get("action_id", ""), control.block_id,
                                                 answer.strip(), view)  # fmt: skip
                options = options_of(resp)
                state = {"type": element["type"], "selected_option": pick_first(options, answer)}
            else:
                state = parse_answer(element, answer, self.directory, tz=self.directory.user_tz(self.user))
        except AnswerError as exc:
            self.say(f"! {exc}")
            return
        action = {"type": element.get("type"), "action_id": element.get("action_id"), **state}
        if element.get("placeholder"):
            action["placeholder"] = element["placeholder"]
        await self.send_action(control, action)

    def find_control(self: Shell, arg: str, *, buttons: bool) -> Control | None:
        if self.target is None:
            self.say("Nothing to press yet.")
            return None
        wanted = [c for c in self.target.controls if c.is_button == buttons
                  or (not buttons and c.element.get("type") in SELECT_TYPES)]  # fmt: skip
        arg = arg.strip()
        for c in self.target.controls:
            if (arg.isdigit() and c.number == int(arg)) or (arg and c.label.lower() == arg.lower()):
                if c in wanted:
                    return c
                self.say(f"[{c.number}] is {'not a button' if buttons else 'a button: use :click'}.")
                return None
        listing = "  ".join(f"[{c.number}] {c.label}" for c in wanted) or "none"
        self.say(f"Choose one of: {listing}")
        return None

    async def send_action(self: Shell, control: Control, action: dict[str, Any]) -> None:
        target = self.target
        assert target is not None
        action = {**action, "block_id": control.block_id}
        if target.view is not None:
            resp = await self.sender.block_action(self.actor(), action, view=target.view)
        else:
            actor = self.actor(target.channel)
            resp = await self.sender.block_action(actor, action, message=target.message)
            url = self.sender.sent[-1].get("response_url")
            self.feed.remember_response_url(url, actor.channel_id)
            target.response_key = (url or "").rstrip("/").rsplit("/", 1)[-1]
        if resp.status_code >= 400:
            self.say(f"! the app answered HTTP {resp.status_code}: {resp.text[:300]}")

    async def cmd_say(self: Shell, arg: str) -> None:
        body = {"channel": self.channel, "user": self.user, "text": arg}
        resp = await self.client.post(f"{STANDIN_MOUNT}/say", json=body)
        if resp.status_code >= 400:
            self.say(f"! {resp.json().get('error')}")

    async def cmd_shortcut(self: Shell, arg: str) -> None:
        shown = [m for m in self.shown if not str(m.get("channel", "")).startswith("D")]
        numbers = [w for w in arg.split() if w.isdigit()]
        words = [w.lower() for w in arg.split() if not w.isdigit()]
        back = int(numbers[0]) if numbers else 1
        chosen = [s for s in MESSAGE_SHORTCUTS if all(w in s.name.lower() for w in words)]
        if not chosen:
            names = ", ".join(s.name for s in MESSAGE_SHORTCUTS)
            self.say(f"No shortcut is called that; there are: {names}.")
            return
        if not shown or not 1 <= back <= len(shown):
            self.say("No message to use it on: :say something first, or pick one of those shown (1 is the latest).")
            return
        item = shown[-back]
        message = {k: item[k] for k in ("ts", "thread_ts", "user", "text") if item.get(k)}
        resp = await self.sender.message_action(self.actor(item.get("channel")), chosen[0].callback_id, message)
        self.feed.remember_response_url(self.sender.sent[-1].get("response_url"), item.get("channel") or self.channel)
        if resp.status_code >= 400:
            self.say(f"! the app answered HTTP {resp.status_code}: {resp.text[:300]}")
