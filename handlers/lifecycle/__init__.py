"""Uninstall and token revocation."""

from __future__ import annotations

import logging

from slack_bolt.app.async_app import AsyncApp

from handlers.kit.home import HomeTab

log = logging.getLogger(__name__)


async def note_uninstall(event: dict, context: dict) -> None:
    log.warning("workspace %s: %s", context.team_id, event.get("type"))


def register(app: AsyncApp, home: HomeTab) -> None:
    if app.installation_store is not None:
        # Bolt's own listeners delete the revoked installations and bots from the installation store.
        app.enable_token_revocation_listeners()
    else:
        app.event("app_uninstalled")(note_uninstall)
        app.event("tokens_revoked")(note_uninstall)
