"""Uninstall and token revocation."""

from __future__ import annotations

import logging

from slack_bolt.app.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.listener.async_builtins import AsyncTokenRevocationListeners
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.kit.home import HomeTab

log = logging.getLogger(__name__)


async def note_uninstall(event: dict, context: dict) -> None:
    log.warning("workspace %s: %s", context.team_id, event.get("type"))


def forget_revoked_tokens(revocation: AsyncTokenRevocationListeners):
    """Bolt's own listeners, which delete the revoked installations and bots from the installation store,
    after the request's session has committed: the store writes on its own connection, and on SQLite the
    session holds the only one (with the write lock) until it commits."""

    async def tokens_revoked(event: dict, context: AsyncBoltContext, db: AsyncSession) -> None:
        await db.commit()
        await revocation.handle_tokens_revoked_events(event, context)

    async def app_uninstalled(event: dict, context: AsyncBoltContext, db: AsyncSession) -> None:
        await db.commit()
        log.warning("workspace %s: app_uninstalled, forgetting its installation", context.team_id)
        await revocation.handle_app_uninstalled_events(context)

    return tokens_revoked, app_uninstalled


def register(app: AsyncApp, home: HomeTab) -> None:
    if app.installation_store is not None:
        tokens_revoked, app_uninstalled = forget_revoked_tokens(AsyncTokenRevocationListeners(app.installation_store))
        app.event("tokens_revoked")(tokens_revoked)
        app.event("app_uninstalled")(app_uninstalled)
    else:
        app.event("app_uninstalled")(note_uninstall)
        app.event("tokens_revoked")(note_uninstall)
