"""Sign in with Slack in the stand-in: codes a test hands out as if a person approved Slack's OpenID Connect
page, and `openid.connect.token`, which answers such a code (once) with an id_token. The token is signed with
HS256 and the client secret: the app reads its claims without checking the signature, as Slack's docs allow
for a token fetched straight from Slack over TLS."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from dataclasses import dataclass, field


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def encode_jwt(claims: dict, secret: str) -> str:
    head = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = _b64(json.dumps(claims).encode())
    signature = hmac.new(secret.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{_b64(signature)}"


@dataclass
class OpenIdConnect:
    codes: dict[str, dict] = field(default_factory=dict)
    n: int = 0

    def new_code(self, *, team_id: str, user_id: str, nonce: str | None, name: str = "") -> str:
        self.n += 1
        code = f"oidc-code-{self.n}"
        self.codes[code] = {"team_id": team_id, "user_id": user_id, "nonce": nonce, "name": name}
        return code

    def token(self, args: dict, basic_auth: tuple[str, str] | None) -> dict:
        """Authenticated by the client id and secret (HTTP basic auth, or form fields); a code works once."""
        client_id, secret = basic_auth or (str(args.get("client_id", "")), str(args.get("client_secret", "")))
        if not client_id or not secret:
            return {"ok": False, "error": "invalid_client_id"}
        grant = self.codes.pop(str(args.get("code", "")), None)
        if grant is None:
            return {"ok": False, "error": "invalid_code"}
        now = int(time.time())
        claims = {
            "iss": "https://slack.com",
            "sub": grant["user_id"],
            "aud": client_id,
            "exp": now + 3600,
            "iat": now,
            "auth_time": now,
            "https://slack.com/user_id": grant["user_id"],
            "https://slack.com/team_id": grant["team_id"],
            "name": grant["name"] or grant["user_id"],
        }
        if grant["nonce"] is not None:
            claims["nonce"] = grant["nonce"]
        return {
            "ok": True,
            "access_token": f"xoxp-{grant['team_id']}-{self.n}",
            "token_type": "Bearer",
            "id_token": encode_jwt(claims, secret),
        }
