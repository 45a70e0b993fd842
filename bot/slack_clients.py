"""Slack Web API clients: the one place that sets the base URL, the timeout and the retry policy.

`build_client` makes the Bolt app's client, which retries connection errors, 5xx and 429 (after Retry-After).

`SlackClients` serves work that no request carries a token for (the scheduler, the outbox sender).
`client_for(team_id)` is the one lookup every scheduled job uses: single-token mode answers with the app's
token; OAuth mode looks the workspace's bot token up in the installation store (the same store Bolt uses).
Those clients have no retry handlers, deliberately: a 429 must not put a sender to sleep inside slack_sdk
(the sender reschedules that delivery at Retry-After and holds back that workspace's method meanwhile), and
a transient failure is retried through the outbox, which survives a restart. One aiohttp session is shared,
so thousands of calls reuse connections. `clients_for` looks up many workspaces at once (one query per sender pass).
"""

from __future__ import annotations

import logging
from collections.abc import Collection

import aiohttp
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.web.async_client import AsyncWebClient

from bot.installation_store import Team

log = logging.getLogger(__name__)
HTTP_TIMEOUT = 10  # seconds; well inside the sender's lease, so a slow call cannot outlive its claim


def retry_handlers() -> list:
    # Async handlers only: slack_sdk's all_builtin_retry_handlers() returns sync ones that break this client.
    return [
        AsyncConnectionErrorRetryHandler(max_retry_count=2),
        AsyncRateLimitErrorRetryHandler(max_retry_count=3),  # waits Retry-After, then tries again
        AsyncServerErrorRetryHandler(max_retry_count=2),
    ]


def retry_after(headers: object) -> float:
    """Seconds to wait after a 429, from its Retry-After header (at least 1)."""
    try:
        value = float(headers.get("Retry-After", 1))  # type: ignore[attr-defined]
    except (TypeError, ValueError):
        value = 1.0
    return max(1.0, value)


def build_client(*, token: str | None, base_url: str, timeout: int = 15) -> AsyncWebClient:
    return AsyncWebClient(token=token, base_url=base_url, timeout=timeout, retry_handlers=retry_handlers())


def calls_log() -> logging.Logger:
    """The logger these clients give slack_sdk. slack_sdk formats a debug line of every request and response
    when its logger's own level is unset (it reads `logger.level`, not the effective level), at some cost per
    call; this child of its logger is pinned to the level in force, so that work is skipped unless DEBUG is on."""
    logger = logging.getLogger("slack_sdk.web.async_client.scheduled")
    logger.setLevel(logging.getLogger("slack_sdk.web.async_client").getEffectiveLevel())
    return logger


class SlackClients:
    def __init__(
        self,
        *,
        base_url: str,
        token: str | None = None,
        installation_store: AsyncInstallationStore | None = None,
        timeout: int = HTTP_TIMEOUT,
    ) -> None:
        if token is None and installation_store is None:
            raise ValueError("give a bot token (single workspace) or an installation store (OAuth)")
        self.base_url = base_url
        self.token = token
        self.installation_store = installation_store
        self.timeout = timeout
        self._session: aiohttp.ClientSession | None = None
        self._clients: dict[str, AsyncWebClient] = {}

    @classmethod
    def like(cls, app_client: AsyncWebClient, installation_store: AsyncInstallationStore | None) -> SlackClients:
        """Clients that reach the same Slack as the Bolt app's own client, with the same tokens."""
        if installation_store is not None:
            return cls(base_url=app_client.base_url, installation_store=installation_store)
        return cls(base_url=app_client.base_url, token=app_client.token)

    async def client_for(self, team_id: str, enterprise_id: str | None = None) -> AsyncWebClient | None:
        """The bot's client for this workspace, or None when the app is not installed there."""
        token = self.token
        if self.installation_store is not None:
            token = await self._find_token(team_id, enterprise_id)
        return self._client(token, team_id)

    async def clients_for(self, teams: Collection[Team]) -> dict[Team, AsyncWebClient | None]:
        """client_for of each workspace, in one query where the store can (bot/installation_store.py)."""
        teams = list(dict.fromkeys(teams))
        find_all = getattr(self.installation_store, "async_find_bot_tokens", None)  # ours; not slack_sdk's stores
        if find_all is not None:
            try:
                tokens = await find_all(teams)
                return {team: self._client(tokens.get(team), team[0]) for team in teams}
            except Exception:  # one token that does not decrypt, say: one at a time, so the others still go
                log.exception("looking up %d bot tokens at once failed; one at a time instead", len(teams))
        return {team: await self.client_for(*team) for team in teams}

    async def _find_token(self, team_id: str, enterprise_id: str | None) -> str | None:
        assert self.installation_store is not None
        bot = await self.installation_store.async_find_bot(
            enterprise_id=enterprise_id, team_id=team_id, is_enterprise_install=False
        )
        return bot.bot_token if bot is not None else None

    def _client(self, token: str | None, team_id: str) -> AsyncWebClient | None:
        if not token:
            log.warning("no bot token for workspace %s: not installed (or uninstalled)", team_id)
            return None
        client = self._clients.get(token)
        if client is None:
            client = AsyncWebClient(
                token=token,
                base_url=self.base_url,
                session=self._http(),
                timeout=self.timeout,
                retry_handlers=[],
                logger=calls_log(),
            )
            self._clients[token] = client
        return client

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.timeout))
            self._clients.clear()
        return self._session

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._clients.clear()
