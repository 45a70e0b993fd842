"""`/followthrough dashboard`: a private link that signs this person in to the web dashboard, once, for ten
minutes; `/followthrough token`: personal tokens for the read API (handlers/web/tokens.py). Registered before
help's /followthrough listener, each matching only its own first word."""

from __future__ import annotations

from datetime import datetime

from slack_bolt.app.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from sqlalchemy.ext.asyncio import AsyncSession

from bot.surface import FOLLOWTHROUGH
from handlers.kit.home import HomeTab
from handlers.kit.replies import reply
from handlers.kit.subcommands import first_word
from handlers.web.routes import SIGN_IN_PATH
from handlers.web.tokens import token_command
from models import Person
from services.web import signin


async def dashboard_command(ack: AsyncAck, db: AsyncSession, person: Person, now: datetime,
                            app_url: str | None) -> None:  # fmt: skip
    token = await signin.issue_link(db, person=person, now=now)
    link = f"{app_url or ''}{SIGN_IN_PATH.format(token=token)}"
    await ack(
        **reply(
            f"Your link to the dashboard: {link}\nIt signs you in once, within ten minutes, and it is "
            "yours alone: don't share it. Sign out from the page when you're done on a shared computer."
        )
    )


def register(app: AsyncApp, home: HomeTab) -> None:
    app.command(FOLLOWTHROUGH.name, matchers=[first_word("dashboard")])(dashboard_command)
    app.command(FOLLOWTHROUGH.name, matchers=[first_word("token")])(token_command)
