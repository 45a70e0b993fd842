"""Modals in the shell: fill the top view, submit it and follow the ack as Slack would (errors, update,
push, clear), and keep the stack of open views."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from bot.devtools.shell.acks import json_body, options_of
from bot.devtools.shell.filler import CANCEL, Cancelled, ModalFiller, QuitRequested
from bot.devtools.shell.modal import Field, input_fields, prepare_view
from bot.devtools.shell.render import text_of

if TYPE_CHECKING:
    from bot.devtools.shell.repl import Shell


class ModalFlow:
    """Mixed into Shell."""

    async def open_pending_views(self: Shell) -> None:
        item = self.pending_views.pop(0)
        view = dict(item.get("view") or {})
        view.setdefault("id", item.get("view_id") or f"V{uuid.uuid4().hex[:10].upper()}")
        self.views.add(view["id"])
        action = item.get("action") or "open"
        if action == "push":
            self.modal_stack.append(view)
        elif action == "update":
            ids = [v.get("id") for v in self.modal_stack]
            if view["id"] in ids:
                self.modal_stack[ids.index(view["id"])] = view
                if ids.index(view["id"]) != len(ids) - 1:
                    return  # an update to a view under the top one: seen when the top one closes
            else:
                self.modal_stack = [view]
        else:
            self.modal_stack = [view]
        await self.run_modal()

    async def run_modal(self: Shell) -> None:
        """Fill and submit the top view until the app closes it, the person cancels, or other views arrive."""
        while self.modal_stack:
            view = prepare_view(self.modal_stack[-1])
            self.modal_stack[-1] = view
            fields = input_fields(view, self.directory)
            self.show_view(view, skip_inputs=bool(fields))
            try:
                if not fields and not view.get("submit"):
                    return  # a view to read (or a loading view): it stays open for :click
                values = await self.fill(view, fields)
                if values is None:
                    return  # a button was pressed instead; what follows arrives on the feed
            except Cancelled as exc:
                await self.close_modal(view, quitting=isinstance(exc, QuitRequested))
                return
            outcome = await self.submit(view, fields, values)
            if outcome != "next":
                return

    async def fill(self: Shell, view: dict[str, Any], fields: list[Field]) -> dict[str, Any] | None:
        if not fields:
            submit = text_of(view.get("submit"), self.directory)
            answer = await self.ask(f"Enter to {submit}, :click N to press a button, {CANCEL} to close: ")
            if answer is None or answer.strip() == CANCEL:
                raise Cancelled
            if answer.strip() in (":quit", ":exit"):
                raise QuitRequested
            if answer.strip().startswith(":click"):
                await self.cmd_click(answer.strip()[len(":click") :].strip())
                await self.settle()
                return None
            return {}
        return await self.filler(view).fill(fields)

    def filler(self: Shell, view: dict[str, Any]) -> ModalFiller:
        async def fetch(field: Field, query: str) -> list[dict[str, Any]]:
            resp = await self.sender.options(self.actor(), field.action_id, field.block_id, query, view)
            return options_of(resp)

        return ModalFiller(self.directory, self.ask, self.say, fetch, tz=self.directory.user_tz(self.user))

    async def ask(self: Shell, prompt: str) -> str | None:
        return await self.console.read(prompt)

    async def submit(self: Shell, view: dict[str, Any], fields: list[Field], values: dict[str, Any]) -> str:
        """Send the view and follow Slack's rules for the ack; "next" means keep going with the stack's top."""
        while True:
            resp = await self.sender.view_submission(self.actor(), view, values)
            if resp.status_code >= 400:
                self.say(f"! the app answered HTTP {resp.status_code}: {resp.text[:300]}")
                self.modal_stack.clear()
                return "done"
            body = json_body(resp) or {}
            action = body.get("response_action")
            if action == "errors":
                errors = body.get("errors") or {}
                known = {f.block_id for f in fields}
                self.say("! The app did not accept that:")
                for block_id, message in errors.items():
                    if block_id not in known:  # the others are shown beside their field
                        self.say(f"! {block_id}: {message}")
                try:
                    values = await self.filler(view).fill(
                        fields, values, errors=errors if set(errors) & known else None
                    )
                except Cancelled as exc:
                    await self.close_modal(view, quitting=isinstance(exc, QuitRequested))
                    return "done"
                continue
            if action in ("update", "push"):
                new = dict(body.get("view") or {})
                if action == "update":
                    new["id"] = view.get("id")
                    self.modal_stack[-1] = new
                else:
                    new.setdefault("id", f"V{uuid.uuid4().hex[:10].upper()}")
                    self.modal_stack.append(new)
                return "next"
            if action == "clear":
                self.modal_stack.clear()
                self.say("(modal closed)")
                await self.settle()
                return "done"
            self.modal_stack.pop()
            self.say("(submitted)")
            await self.settle()
            # A parent view shows again, unless the app already sent something to open or update.
            return "done" if self.pending_views or not self.modal_stack else "next"

    async def close_modal(self: Shell, view: dict[str, Any], *, quitting: bool = False) -> None:
        # Slack tells the app about a closed modal only when the view asked for it.
        if view.get("notify_on_close"):
            resp = await self.sender.view_closed(self.actor(), view)
            if resp.status_code >= 400:
                self.say(f"! the app answered HTTP {resp.status_code} to view_closed")
        self.modal_stack.clear()
        self.say("(modal closed)")
        self.quitting = quitting
        await self.settle()
