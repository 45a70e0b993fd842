"""Requests shaped exactly like Slack's, signed like Slack signs them.

Shared by the local shell and the tests, so both drive the real app through the same door Slack uses.
"""

from __future__ import annotations

import inspect
import itertools
import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import httpx
from slack_sdk.signature import SignatureVerifier

_trigger_seq = itertools.count(1)


def signed_headers(secret: str, body: bytes, content_type: str, *, timestamp: int | None = None) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": signature or "",
    }


def form_body(fields: dict[str, str]) -> bytes:
    return urlencode(fields).encode()


def interactive_body(payload: dict[str, Any]) -> bytes:
    # Interactivity arrives form-encoded with the JSON in a single `payload` field.
    return urlencode({"payload": json.dumps(payload)}).encode()


@dataclass
class SlackActor:
    """Who is acting and where: the values every payload repeats."""

    team_id: str = "T0LOCAL"
    user_id: str = "U0LOCAL"
    user_name: str = "you"
    channel_id: str = "C0GENERAL"
    channel_name: str = "general"
    enterprise_id: str | None = None
    api_app_id: str = "A0FOLLOW"

    def team(self) -> dict[str, Any]:
        return {"id": self.team_id, "domain": self.team_id.lower()}

    def user(self) -> dict[str, Any]:
        return {"id": self.user_id, "username": self.user_name, "name": self.user_name, "team_id": self.team_id}


@dataclass
class SlackSender:
    """Sends signed Slack requests to the app's single endpoint and returns the HTTP response."""

    client: httpx.AsyncClient
    signing_secret: str
    response_url_base: str  # the stand-in's /response prefix: respond() posts land there
    path: str = "/slack/events"
    trigger_id_factory: Any = None  # callable returning a fresh trigger id; defaults to a local format
    sent: list[dict[str, Any]] = field(default_factory=list)

    async def new_trigger_id(self, actor: SlackActor) -> str:
        """Slack mints a trigger id per click; the stand-in validates them, so ask it (sync or async)."""
        if self.trigger_id_factory is None:
            return f"{next(_trigger_seq)}.{int(time.time() * 1000)}.{uuid.uuid4().hex[:16]}"
        trigger = self.trigger_id_factory(actor.user_id)
        return await trigger if inspect.isawaitable(trigger) else trigger

    def new_response_url(self) -> str:
        return f"{self.response_url_base}/{uuid.uuid4().hex}"

    async def post(
        self,
        body: bytes,
        content_type: str,
        *,
        timestamp: int | None = None,
        secret: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        signed = signed_headers(secret or self.signing_secret, body, content_type, timestamp=timestamp)
        return await self.client.post(self.path, content=body, headers={**signed, **(headers or {})})

    async def command(self, actor: SlackActor, command: str, text: str = "", **kw: Any) -> httpx.Response:
        fields = {
            "token": "legacy-verification-token",
            "team_id": actor.team_id,
            "team_domain": actor.team_id.lower(),
            "channel_id": actor.channel_id,
            "channel_name": actor.channel_name,
            "user_id": actor.user_id,
            "user_name": actor.user_name,
            "command": command,
            "text": text,
            "api_app_id": actor.api_app_id,
            "is_enterprise_install": "false",
            "response_url": self.new_response_url(),
            "trigger_id": await self.new_trigger_id(actor),
        }
        if actor.enterprise_id:
            fields["enterprise_id"] = actor.enterprise_id
        self.sent.append(fields)
        return await self.post(form_body(fields), "application/x-www-form-urlencoded", **kw)

    async def interactive(self, payload: dict[str, Any], **kw: Any) -> httpx.Response:
        self.sent.append(payload)
        return await self.post(interactive_body(payload), "application/x-www-form-urlencoded", **kw)

    async def view_submission(
        self, actor: SlackActor, view: dict[str, Any], values: dict[str, dict[str, Any]], **kw: Any
    ) -> httpx.Response:
        """Submit `view` (as returned by views.open) with state `values` {block_id: {action_id: state}}."""
        submitted = {**view, "state": {"values": values}}
        payload = {
            "type": "view_submission",
            "team": actor.team(),
            "user": actor.user(),
            "api_app_id": actor.api_app_id,
            "token": "legacy-verification-token",
            "trigger_id": await self.new_trigger_id(actor),
            "view": submitted,
            "response_urls": [],
            "is_enterprise_install": False,
            "enterprise": {"id": actor.enterprise_id} if actor.enterprise_id else None,
        }
        return await self.interactive(payload, **kw)

    async def view_closed(self, actor: SlackActor, view: dict[str, Any], **kw: Any) -> httpx.Response:
        payload = {
            "type": "view_closed",
            "team": actor.team(),
            "user": actor.user(),
            "api_app_id": actor.api_app_id,
            "view": view,
            "is_cleared": False,
            "is_enterprise_install": False,
        }
        return await self.interactive(payload, **kw)

    async def block_action(
        self,
        actor: SlackActor,
        action: dict[str, Any],
        *,
        message: dict[str, Any] | None = None,
        view: dict[str, Any] | None = None,
        **kw: Any,
    ) -> httpx.Response:
        """Press a button (or pick from a select) in a message or a view. `action` is the element plus
        `action_id`, `block_id` and the chosen value fields."""
        payload: dict[str, Any] = {
            "type": "block_actions",
            "team": actor.team(),
            "user": actor.user(),
            "api_app_id": actor.api_app_id,
            "token": "legacy-verification-token",
            "trigger_id": await self.new_trigger_id(actor),
            "actions": [{**action, "action_ts": f"{time.time():.6f}"}],
            "is_enterprise_install": False,
            "enterprise": {"id": actor.enterprise_id} if actor.enterprise_id else None,
        }
        if view is not None:
            payload["container"] = {"type": "view", "view_id": view.get("id")}
            payload["view"] = view
        else:
            message = message or {}
            payload["container"] = {
                "type": "message",
                "message_ts": message.get("ts"),
                "channel_id": actor.channel_id,
                "is_ephemeral": bool(message.get("is_ephemeral")),
            }
            payload["channel"] = {"id": actor.channel_id, "name": actor.channel_name}
            payload["message"] = message
            payload["response_url"] = self.new_response_url()
        return await self.interactive(payload, **kw)

    async def message_action(
        self, actor: SlackActor, callback_id: str, message: dict[str, Any], **kw: Any
    ) -> httpx.Response:
        """A message shortcut chosen on `message` (as stored: `text`, `user`, `ts`, maybe `thread_ts`)."""
        payload: dict[str, Any] = {
            "type": "message_action",
            "token": "legacy-verification-token",
            "action_ts": f"{time.time():.6f}",
            "team": actor.team(),
            "user": actor.user(),
            "channel": {"id": actor.channel_id, "name": actor.channel_name},
            "is_enterprise_install": False,
            "enterprise": {"id": actor.enterprise_id} if actor.enterprise_id else None,
            "callback_id": callback_id,
            "trigger_id": await self.new_trigger_id(actor),
            "response_url": self.new_response_url(),
            "message_ts": message.get("ts"),
            "message": {"type": "message", **message},
        }
        return await self.interactive(payload, **kw)

    async def options(
        self, actor: SlackActor, action_id: str, block_id: str, value: str, view: dict[str, Any] | None = None
    ) -> httpx.Response:
        """An external select asking for options (`block_suggestion`)."""
        payload: dict[str, Any] = {
            "type": "block_suggestion",
            "team": actor.team(),
            "user": actor.user(),
            "api_app_id": actor.api_app_id,
            "token": "legacy-verification-token",
            "action_id": action_id,
            "block_id": block_id,
            "value": value,
        }
        if view is not None:
            payload["container"] = {"type": "view", "view_id": view.get("id")}
            payload["view"] = view
        return await self.interactive(payload)

    async def event(
        self,
        actor: SlackActor,
        event: dict[str, Any],
        *,
        event_id: str | None = None,
        retry_num: int | None = None,
        **kw: Any,
    ) -> httpx.Response:
        envelope = {
            "token": "legacy-verification-token",
            "team_id": actor.team_id,
            "api_app_id": actor.api_app_id,
            "event": {"event_ts": f"{time.time():.6f}", **event},
            "type": "event_callback",
            "event_id": event_id or f"Ev{uuid.uuid4().hex[:10].upper()}",
            "event_time": int(time.time()),
            "authorizations": [
                {
                    "enterprise_id": actor.enterprise_id,
                    "team_id": actor.team_id,
                    "user_id": "U0BOT",
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
            "is_ext_shared_channel": False,
        }
        headers = dict(kw.pop("headers", None) or {})
        if retry_num is not None:
            headers["X-Slack-Retry-Num"] = str(retry_num)
            headers["X-Slack-Retry-Reason"] = "http_timeout"
        self.sent.append(envelope)
        return await self.post(json.dumps(envelope).encode(), "application/json", headers=headers, **kw)

    async def url_verification(self, challenge: str = "c0ffee") -> httpx.Response:
        body = {"token": "legacy-verification-token", "challenge": challenge, "type": "url_verification"}
        return await self.post(json.dumps(body).encode(), "application/json")
