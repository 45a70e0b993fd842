"""One configuration surface: environment variables (and an optional .env), validated at start."""

from __future__ import annotations

import secrets
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.database import Timeouts
from bot.token_cipher import KEY_HELP, TokenCipher, parse_keys

DATA_DIR = Path("data")
LOCAL_TEAM_ID = "T0LOCAL"
LOCAL_BOT_TOKEN = "xoxb-local-mode"
LOCAL_MOUNT = "/_local"  # local mode's own routes: the Slack stand-in and what the shell asks the app
STANDIN_MOUNT = f"{LOCAL_MOUNT}/slack"


class Mode(StrEnum):
    LOCAL = "local"  # no Slack credentials: built-in Web API stand-in, shell
    HTTP = "http"  # single workspace token or OAuth, events over HTTP
    SOCKET = "socket"  # Socket Mode (SLACK_APP_TOKEN)


class ConfigError(Exception):
    """A setting is missing or malformed; the message names it in one line."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_client_id: str | None = None
    slack_client_secret: str | None = None
    slack_api_url: str | None = None
    # Fernet keys, comma-separated: the first encrypts stored Slack tokens, all decrypt (rotation). OAuth only.
    token_encryption_keys: str | None = None
    database_url: str = f"sqlite+aiosqlite:///{DATA_DIR}/followthrough.db"
    default_timezone: str = "UTC"
    host: str = "127.0.0.1"
    port: int = Field(default=3000, ge=1, le=65535)
    public_url: str | None = None  # the app's public address: the manifest's, and the base of calendar links
    auto_migrate: bool = True
    scheduler_enabled: bool = True  # run the scheduler inside `serve` (off when it runs on its own)
    # The edge: Slack's payloads are far under 1 MiB; a body must arrive within the deadline.
    max_body_bytes: int = Field(default=1_048_576, ge=1024)
    body_timeout_seconds: float = Field(default=10.0, gt=0)
    max_connections: int = Field(default=200, ge=1)  # uvicorn refuses more at once with 503
    metrics_token: str | None = None  # when set, /metrics wants `Authorization: Bearer <token>`
    # Database deadlines: connecting, one statement, waiting for a pooled connection (seconds).
    db_connect_timeout: float = Field(default=5.0, gt=0)
    db_statement_timeout: float = Field(default=10.0, gt=0)
    db_pool_timeout: float = Field(default=5.0, gt=0)

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        try:
            url = make_url(value)
        except ArgumentError as exc:
            raise ValueError(f"not a database URL ({exc})") from None
        if url.drivername not in ("sqlite+aiosqlite", "postgresql+asyncpg"):
            raise ValueError(
                f"driver {url.drivername!r} is not supported; use sqlite+aiosqlite:///path.db "
                "or postgresql+asyncpg://user@host/db"
            )
        return value

    @field_validator("default_timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{value!r} is not an IANA time zone name such as Europe/Berlin") from None
        return value

    @field_validator("slack_bot_token")
    @classmethod
    def _bot_token(cls, value: str | None) -> str | None:
        if value and not value.startswith("xoxb-"):
            raise ValueError("a bot token starts with xoxb-")
        return value

    @field_validator("slack_app_token")
    @classmethod
    def _app_token(cls, value: str | None) -> str | None:
        if value and not value.startswith("xapp-"):
            raise ValueError("an app-level token starts with xapp-")
        return value

    @field_validator("token_encryption_keys")
    @classmethod
    def _token_keys(cls, value: str | None) -> str | None:
        if not value or not value.strip():
            return None  # an empty variable is an unset one
        parse_keys(value)  # the ValueError says which key, never quoting one
        return value

    @field_validator("slack_api_url", "public_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value and not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/") if value else value

    @model_validator(mode="after")
    def _coherent(self) -> Settings:
        if bool(self.slack_client_id) != bool(self.slack_client_secret):
            missing = "SLACK_CLIENT_SECRET" if self.slack_client_id else "SLACK_CLIENT_ID"
            raise ValueError(f"{missing} is required when the other OAuth value is set")
        mode = self.mode
        if mode is Mode.SOCKET and not self.slack_bot_token:
            raise ValueError(
                "SLACK_BOT_TOKEN is required with SLACK_APP_TOKEN (Socket Mode): install the app to your workspace "
                "and copy its bot token (xoxb-...). To create the app first, `followthrough manifest --socket-mode` "
                "prints its manifest and needs no token."
            )
        if mode is Mode.HTTP and not self.slack_signing_secret:
            raise ValueError("SLACK_SIGNING_SECRET is required to verify requests from Slack in HTTP mode")
        if self.oauth_enabled and not self.token_encryption_keys:
            raise ValueError(f"TOKEN_ENCRYPTION_KEYS is required with OAuth, to encrypt stored tokens; {KEY_HELP}")
        return self

    @property
    def mode(self) -> Mode:
        if self.slack_app_token:
            return Mode.SOCKET
        if self.slack_bot_token or self.slack_client_id:
            return Mode.HTTP
        return Mode.LOCAL

    @property
    def oauth_enabled(self) -> bool:
        return bool(self.slack_client_id) and self.mode is Mode.HTTP

    @cached_property
    def signing_secret(self) -> str:
        """The secret requests are signed with; local mode keeps a random one on disk for the shell."""
        if self.slack_signing_secret:
            return self.slack_signing_secret
        return local_signing_secret()

    @cached_property
    def token_cipher(self) -> TokenCipher | None:
        """What encrypts the installation store's tokens; None when no key is set (nothing is stored then)."""
        return TokenCipher.from_setting(self.token_encryption_keys) if self.token_encryption_keys else None

    @property
    def bot_token(self) -> str | None:
        return LOCAL_BOT_TOKEN if self.mode is Mode.LOCAL else self.slack_bot_token

    @property
    def app_url(self) -> str:
        """Where a browser reaches the app: PUBLIC_URL, else this machine's HOST and PORT (local mode)."""
        if self.public_url:
            return self.public_url.rstrip("/")
        host = "127.0.0.1" if self.host in ("0.0.0.0", "::", "") else self.host
        return f"http://{host}:{self.port}"

    def api_url(self, port: int | None = None) -> str:
        """Base URL of the Slack Web API (with a trailing slash, as slack_sdk expects)."""
        if self.slack_api_url:
            return self.slack_api_url + "/"
        if self.mode is Mode.LOCAL:
            return f"http://127.0.0.1:{port or self.port}{STANDIN_MOUNT}/api/"
        return "https://slack.com/api/"

    @property
    def db_timeouts(self) -> Timeouts:
        return Timeouts(connect=self.db_connect_timeout, statement=self.db_statement_timeout, pool=self.db_pool_timeout)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def local_signing_secret() -> str:
    path = DATA_DIR / "local-signing-secret"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(16))
        path.chmod(0o600)
    return path.read_text().strip()


def load_settings(**overrides: object) -> Settings:
    """Read settings; any problem becomes a ConfigError with one line naming the variable."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]).upper()
        message = first["msg"].removeprefix("Value error, ")
        where = f"{field}: " if field else ""
        raise ConfigError(f"Configuration error: {where}{message}") from None
