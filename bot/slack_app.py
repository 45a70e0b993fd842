"""The one Bolt app that serves every workspace."""

from __future__ import annotations

from slack_bolt.app.async_app import AsyncApp
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore

import handlers
from bot import surface
from bot.clock import Clock, SystemClock
from bot.context import load_actor
from bot.database import Database
from bot.failures import bolt_error_handler
from bot.installation_store import EncryptedInstallationStore
from bot.matching import match_by_body
from bot.once import act_once
from bot.request_client import use_request_client
from bot.settings import Settings
from bot.slack_clients import build_client
from handlers.kit.clock import use_clock
from handlers.kit.public_url import use_public_url

OAUTH_STATE_SECONDS = 600
NOT_INSTALLED = (
    ":warning: Followthrough is not installed in this workspace any more, so it cannot answer. "
    "Ask a workspace admin to install it again."
)


def build_bolt_app(
    settings: Settings, database: Database, *, api_base_url: str | None = None, clock: Clock | None = None
) -> AsyncApp:
    base_url = api_base_url or settings.api_url()
    common = {
        "signing_secret": settings.signing_secret,
        # Listeners finish before Bolt answers, so the request's session wraps all their writes.
        # Listeners therefore stay fast (well under Slack's 3 s) and hand slow work to lazy listeners or the outbox.
        "process_before_response": True,
        # The edge (bot/edge.py) checks every request's signature, with slack_sdk's verifier, before anything is
        # parsed; Bolt checking it again was a second HMAC and middleware hop on every request. Socket Mode's
        # requests come over the app's own authenticated socket and carry no signature.
        "request_verification_enabled": False,
        "ignoring_self_events_enabled": True,
        "user_facing_authorize_error_message": NOT_INSTALLED,
    }
    if settings.oauth_enabled:
        if settings.token_cipher is None:  # the settings refuse OAuth without keys; this keeps it so
            raise ValueError("OAuth needs TOKEN_ENCRYPTION_KEYS")
        store = EncryptedInstallationStore(settings.slack_client_id, database.engine, settings.token_cipher)
        app = AsyncApp(
            **common,
            client=build_client(token=None, base_url=base_url),
            oauth_settings=AsyncOAuthSettings(
                client_id=settings.slack_client_id,
                client_secret=settings.slack_client_secret,
                scopes=list(surface.BOT_SCOPES),
                installation_store=store,  # tokens encrypted at rest
                state_store=AsyncSQLAlchemyOAuthStateStore(OAUTH_STATE_SECONDS, database.engine),
                install_path="/slack/install",
                redirect_uri_path="/slack/oauth_redirect",
            ),
        )
    else:
        app = AsyncApp(**common, client=build_client(token=settings.bot_token, base_url=base_url))
    app.error(bolt_error_handler)
    use_clock(app, clock or SystemClock())  # first, so every later middleware and listener sees `now`
    use_request_client(app)  # before anything calls Slack: the request's budget, no call inside a transaction
    app.use(act_once)
    app.use(load_actor(settings.default_timezone))
    use_public_url(app, settings.public_url, settings.app_url)
    handlers.register(app)
    match_by_body(app)  # after every listener is registered
    return app
