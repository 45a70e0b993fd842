"""Sign in with Slack (OpenID Connect), when the app runs with OAuth credentials: the browser goes to Slack's
authorize page with a `state` (stored once, as for installs, and pinned to this browser by a cookie) and a
`nonce` (derived from the state with the client secret, so nothing more is stored); the callback exchanges the code
for an id_token, checks the state, the nonce and the audience, and opens a dashboard session for that person in
that workspace, which must have installed the app."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.oauth import OpenIDConnectAuthorizeUrlGenerator
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore
from slack_sdk.web.async_client import AsyncWebClient

from bot.clock import Clock
from bot.database import Database
from bot.surface import SIGN_IN_CALLBACK_PATH, SIGN_IN_SCOPES
from services.web import signin

log = logging.getLogger(__name__)

SLACK_SIGN_IN_PATH = "/web/sign-in/slack"
CALLBACK_PATH = SIGN_IN_CALLBACK_PATH  # the manifest lists it among the redirect URLs
STATE_COOKIE = "ft_oidc_state"
SCOPES = SIGN_IN_SCOPES
TEAM_CLAIM = "https://slack.com/team_id"
USER_CLAIM = "https://slack.com/user_id"


@dataclass(frozen=True)
class SlackSignIn:
    """What the flow needs from the app's assembly: the OAuth client, where Slack sends the browser back, the
    install flow's state store, whether a workspace has installed the app, and a Web API client."""

    client_id: str
    client_secret: str
    redirect_uri: str
    state_store: AsyncOAuthStateStore
    installed: Callable[[str], Awaitable[bool]]
    client: AsyncWebClient
    default_timezone: str = "UTC"

    def nonce(self, state: str) -> str:
        return hmac.new(self.client_secret.encode(), f"oidc-nonce:{state}".encode(), hashlib.sha256).hexdigest()


def id_token_claims(id_token: str) -> dict | None:
    """The claims of an id_token, unverified: it came to us straight from Slack's openid.connect.token over TLS,
    which OpenID Connect (section 3.1.3.7) and Slack's docs accept in place of checking the signature."""
    parts = id_token.split(".")
    if len(parts) != 3:
        return None
    try:
        claims = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except (binascii.Error, ValueError):
        return None
    return claims if isinstance(claims, dict) else None


def add_slack_sign_in(
    app: FastAPI,
    database: Database,
    clock: Clock,
    flow: SlackSignIn | None,
    *,
    notice: Callable[[str, str, int], Response],
    signed_in: Callable[[Request, str], Response],
) -> None:
    """The two routes; without OAuth credentials both answer 404 (and shadow the one-time link route)."""
    unavailable = ("Not available here", "Sign in with Slack needs the app's OAuth credentials. Type "
                   "/followthrough dashboard in Slack for a sign-in link instead.", 404)  # fmt: skip
    refused = ("Slack could not sign you in", "That sign-in attempt has expired or did not start in this browser. "
               "Try Sign in with Slack again.", 400)  # fmt: skip

    @app.get(SLACK_SIGN_IN_PATH, include_in_schema=False)
    async def slack_sign_in(request: Request) -> Response:
        if flow is None:
            return notice(*unavailable)
        state = await flow.state_store.async_issue()
        url = OpenIDConnectAuthorizeUrlGenerator(
            client_id=flow.client_id, redirect_uri=flow.redirect_uri, scopes=list(SCOPES)
        ).generate(state=state, nonce=flow.nonce(state))
        response = RedirectResponse(url, status_code=302, headers={"Cache-Control": "no-store"})
        response.set_cookie(STATE_COOKIE, state, max_age=600, path=SLACK_SIGN_IN_PATH, httponly=True,
                            samesite="lax", secure=request.url.scheme == "https")  # fmt: skip
        return response

    @app.get(CALLBACK_PATH, include_in_schema=False)
    async def slack_sign_in_callback(request: Request, code: str = "", state: str = "") -> Response:
        if flow is None:
            return notice(*unavailable)
        pinned = request.cookies.get(STATE_COOKIE, "")
        if not (code and state and pinned and hmac.compare_digest(pinned, state[:200])):
            return notice(*refused)
        if not await flow.state_store.async_consume(state):  # used already, expired or never issued
            return notice(*refused)
        claims = await _claims(flow, code[:500])
        if claims is None or claims.get("nonce") != flow.nonce(state) or claims.get("aud") != flow.client_id:
            return notice(*refused)
        team_id, user_id = str(claims.get(TEAM_CLAIM, "")), str(claims.get(USER_CLAIM, ""))
        if not (team_id and user_id and await flow.installed(team_id)):
            return notice("Followthrough is not installed there", "Ask a workspace admin to install it in that "
                          "workspace first; then sign in again.", 403)  # fmt: skip
        async with database.sessions.begin() as session:  # Slack was asked before: no call inside the transaction
            opened = await signin.open_slack_session(session, team_id=team_id, user_id=user_id, now=clock.now(),
                                                     default_timezone=flow.default_timezone)  # fmt: skip
        if opened is None:
            return notice("Slack could not sign you in", "This account is no longer in the workspace.", 403)
        response = signed_in(request, opened)
        response.delete_cookie(STATE_COOKIE, path=SLACK_SIGN_IN_PATH)
        return response


async def _claims(flow: SlackSignIn, code: str) -> dict | None:
    try:
        answer = await flow.client.openid_connect_token(
            client_id=flow.client_id, client_secret=flow.client_secret, code=code, redirect_uri=flow.redirect_uri
        )
    except SlackApiError as exc:  # a code used twice or made up: Slack says invalid_code
        log.info("openid.connect.token refused: %s", exc.response.get("error"))
        return None
    except (SlackClientError, OSError) as exc:
        log.warning("openid.connect.token failed: %r", exc)
        return None
    return id_token_claims(str(answer.get("id_token") or ""))
