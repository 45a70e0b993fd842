"""`/followthrough token`: personal tokens for the read API. A new token is shown once, privately, and never again
(only its hash is kept); `token list` shows names and dates, never a token; `token revoke` ends one at once."""

from __future__ import annotations

from datetime import datetime

from slack_bolt.context.ack.async_ack import AsyncAck
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.kit.replies import refusal_text, reply
from handlers.kit.subcommands import split
from handlers.kit.text import esc, slack_date
from models import ApiToken, Person
from services.errors import Forbidden, Invalid, NotFound
from services.web import api_tokens

API_PATH = "/api/v1"


async def token_command(ack: AsyncAck, command: dict, db: AsyncSession, person: Person, now: datetime,
                        app_url: str | None) -> None:  # fmt: skip
    _, rest = split(command)
    word, _, arg = rest.partition(" ")
    if word.lower() == "list" and not arg.strip():
        await ack(**reply(await _listing(db, person)))
    elif word.lower() == "revoke":
        await ack(**reply(await _revoke(db, person, arg, now)))
    elif word.lower() == "help" and not arg.strip():
        await ack(**reply(HELP))
    else:
        await ack(**reply(await _create(db, person, rest, now, app_url)))


HELP = (
    "*Personal API tokens* let a BI tool or a script read this workspace's outcomes, readings, decisions, action "
    f"items, meetings and findings from `{API_PATH}`.\n"
    "• `/followthrough token` or `/followthrough token BI export`: a new token (shown once; copy it then)\n"
    "• `/followthrough token list`: your tokens, with when each was last used\n"
    "• `/followthrough token revoke BI export` (or its number): it stops working at once"
)


async def _create(db: AsyncSession, person: Person, name: str, now: datetime, app_url: str | None) -> str:
    try:
        row, token = await api_tokens.create(db, person=person, name=name, now=now)
    except Invalid as exc:
        return " ".join(exc.errors.values())
    base = f"{app_url or ''}{API_PATH}"
    return (
        f"Your new API token *{esc(row.name)}* (#{row.id}), shown this once: copy it now.\n`{token}`\n"
        f"Send it as `Authorization: Bearer &lt;token&gt;` to {base}/outcomes and the rest (the list is at "
        f"{base}/openapi.json). It reads everything in this workspace that you can see in Slack, so keep it "
        "like a password; `/followthrough token revoke` ends it."
    )


async def _listing(db: AsyncSession, person: Person) -> str:
    tokens = await api_tokens.owned(db, person=person)
    if not tokens:
        return "You have no API tokens. `/followthrough token` makes one."
    lines = "\n".join(_line(t) for t in tokens)
    return f"Your API tokens (the tokens themselves are never shown again):\n{lines}"


def _line(token: ApiToken) -> str:
    used = f"last used {slack_date(token.last_used_at)}" if token.last_used_at else "never used"
    return f"• #{token.id} *{esc(token.name)}*: made {slack_date(token.created_at)}, {used}"


async def _revoke(db: AsyncSession, person: Person, which: str, now: datetime) -> str:
    try:
        token = await api_tokens.revoke(db, person=person, which=which, now=now)
    except Invalid as exc:
        return " ".join(exc.errors.values())
    except (NotFound, Forbidden) as exc:
        return refusal_text(exc)
    return f"Revoked API token #{token.id} *{esc(token.name)}*: it no longer opens anything."
