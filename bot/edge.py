"""The Slack endpoint's guard: junk is refused cheaply, before anything is parsed.

In order: a body over the limit is refused from its Content-Length (413) or as it streams in; a body that takes
longer than the deadline to arrive is refused (408); the signature is checked on the raw bytes (401); only then
is the body parsed (400 when it is not what Slack sends). Each refusal is one log line, and repeats of the same
refusal are counted rather than logged one by one.
"""

from __future__ import annotations

import asyncio
import copy
import json
import logging
import time
import unicodedata
from typing import Any
from urllib.parse import parse_qsl

from fastapi import Request, Response
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.request.async_internals import build_async_context
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.signature import SignatureVerifier

log = logging.getLogger(__name__)
# Control characters people never mean to send; PostgreSQL refuses NUL outright. Newlines and tabs stay.
KEEP_CONTROLS = {"\n", "\t", "\r"}


class Refused(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason


class QuietLog:
    """One line per kind of problem per `every` seconds, with how many were not logged since."""

    def __init__(self, logger: logging.Logger, every: float = 10.0) -> None:
        self.logger, self.every = logger, every
        self._last: dict[str, float] = {}
        self._skipped: dict[str, int] = {}

    def warning(self, kind: str, message: str) -> None:
        now = time.monotonic()
        if now - self._last.get(kind, -self.every) < self.every:
            self._skipped[kind] = self._skipped.get(kind, 0) + 1
            return
        skipped = self._skipped.pop(kind, 0)
        self._last[kind] = now
        self.logger.warning("%s%s", message, f" ({skipped} more like it not logged)" if skipped else "")


refusals = QuietLog(log)


async def read_body(request: Request, *, limit: int, deadline: float) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        raise Refused(413, f"body of {declared} bytes refused (limit {limit})")
    chunks: list[bytes] = []
    size = 0
    try:
        async with asyncio.timeout(deadline):
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    raise Refused(413, f"body over {limit} bytes refused")
                chunks.append(chunk)
    except TimeoutError:
        raise Refused(408, f"body not received within {deadline:g} s") from None
    return b"".join(chunks)


def check_signature(verifier: SignatureVerifier, body: bytes, headers: Any) -> None:
    timestamp = headers.get("x-slack-request-timestamp") or ""
    signature = headers.get("x-slack-signature") or ""
    if not timestamp.isdigit() or not signature:
        raise Refused(401, "unsigned request refused")
    if not verifier.is_valid(body=body, timestamp=timestamp, signature=signature):
        raise Refused(401, "request with a bad or stale signature refused")


class SlackRequest(AsyncBoltRequest):
    """Bolt's request, with a body parsed here. Bolt's own parser returns an empty body for any form body that
    holds the word "payload" anywhere without being an interactive payload: a slash command such as
    `/progress O-3 40 new payload format live` was refused as junk."""

    def __init__(self, *, raw: str, body: dict[str, Any], query: Any, headers: Any, context: Any = None) -> None:
        super().__init__(body="", query=query, headers=headers, context=context)  # nothing for Bolt to parse
        self.raw_body, self.body = raw, body
        self.context = build_async_context(AsyncBoltContext(context or {}), body)

    def to_copyable(self) -> SlackRequest:  # for Bolt's lazy listeners, which would parse raw_body again
        return SlackRequest(raw=self.raw_body, body=copy.deepcopy(self.body), query=self.query,
                            headers=self.headers, context=self.context.to_copyable())  # fmt: skip


def parse_body(raw: str, content_type: str | None) -> Any:
    """A Slack body as Bolt reads it: JSON (events), or a form whose `payload` field holds JSON (interactivity),
    or a plain form (slash commands)."""
    if content_type == "application/json" or raw.startswith("{"):
        return json.loads(raw)
    fields = dict(parse_qsl(raw, keep_blank_values=True))
    return json.loads(fields["payload"]) if "payload" in fields else fields


def parse(request: Request, body: bytes) -> AsyncBoltRequest:
    content_type = (request.headers.get("content-type") or "").split(";")[0] or None
    try:
        raw = body.decode("utf-8")
        parsed = parse_body(raw, content_type)
    except (UnicodeDecodeError, ValueError) as exc:
        raise Refused(400, f"signed but unparseable body refused ({type(exc).__name__})") from None
    if not isinstance(parsed, dict) or not parsed:
        raise Refused(400, "signed body is not a Slack payload")
    return SlackRequest(raw=raw, body=clean(parsed), query=request.query_params, headers=request.headers)


def clean(value: Any) -> Any:
    """Every string of a payload without control characters (NUL included), once, before anyone reads it."""
    if isinstance(value, str):
        if value.isprintable():
            return value
        return "".join(c for c in value if c in KEEP_CONTROLS or unicodedata.category(c) != "Cc")
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean(v) for v in value]
    return value


async def guarded_request(
    request: Request, verifier: SignatureVerifier | None, *, limit: int, deadline: float
) -> AsyncBoltRequest | Response:
    """The parsed request, or the short answer that refuses it."""
    try:
        body = await read_body(request, limit=limit, deadline=deadline)
        if verifier is not None:
            check_signature(verifier, body, request.headers)
        return parse(request, body)
    except Refused as refused:
        client = request.client.host if request.client else "?"
        refusals.warning(f"{refused.status}", f"{refused.reason} from {client}")
        return Response(status_code=refused.status, content=refused.reason)
