"""Start-up configuration: every problem stops start-up with one line that names the variable."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from bot.settings import ConfigError, Mode, Settings, load_settings
from bot.token_cipher import TokenCipher, new_key

OAUTH = {"slack_client_id": "1.2", "slack_client_secret": "c", "slack_signing_secret": "s"}


def settings(**env: str) -> Settings:
    return load_settings(_env_file=None, **env)


@pytest.mark.parametrize(
    ("env", "names"),
    [
        ({"database_url": "not a url"}, "DATABASE_URL"),
        ({"database_url": "mysql://root@localhost/x"}, "DATABASE_URL"),
        ({"database_url": "postgresql://u@h/db"}, "DATABASE_URL"),  # sync driver: would block the event loop
        ({"slack_bot_token": "xoxb-abc"}, "SLACK_SIGNING_SECRET"),
        ({"slack_client_id": "123.456"}, "SLACK_CLIENT_SECRET"),
        ({"slack_app_token": "xapp-1-abc"}, "SLACK_BOT_TOKEN"),
        ({"slack_bot_token": "abc", "slack_signing_secret": "s"}, "SLACK_BOT_TOKEN"),
        ({"default_timezone": "Mars/Olympus"}, "DEFAULT_TIMEZONE"),
        ({"port": "99999"}, "PORT"),
        ({"slack_api_url": "localhost:9000"}, "SLACK_API_URL"),
        ({"token_encryption_keys": "not-a-fernet-key"}, "TOKEN_ENCRYPTION_KEYS"),
        ({**OAUTH}, "TOKEN_ENCRYPTION_KEYS"),
    ],
)
def test_bad_configuration_names_the_variable(env: dict[str, str], names: str) -> None:
    with pytest.raises(ConfigError) as error:
        settings(**env)
    message = str(error.value)
    assert names in message
    assert "\n" not in message


def test_modes() -> None:
    assert settings().mode is Mode.LOCAL
    assert settings(slack_bot_token="xoxb-1", slack_signing_secret="s").mode is Mode.HTTP
    assert settings(**OAUTH, token_encryption_keys=new_key()).oauth_enabled
    socket = settings(slack_bot_token="xoxb-1", slack_app_token="xapp-1")
    assert socket.mode is Mode.SOCKET and not socket.oauth_enabled


def test_local_mode_points_the_client_at_the_built_in_stand_in() -> None:
    local = settings(port="4000")
    assert local.api_url() == "http://127.0.0.1:4000/_local/slack/api/"
    assert local.bot_token and local.bot_token.startswith("xoxb-")
    assert settings(slack_bot_token="xoxb-1", slack_signing_secret="s").api_url() == "https://slack.com/api/"


def run_serve(cwd, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "serve"],
        cwd=cwd,
        env={**env, "PYTHONPATH": os.getcwd()},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_cli_refuses_to_start_with_a_clear_line(tmp_path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_URL"))}
    result = run_serve(tmp_path, {**env, "DATABASE_URL": "sqlite:///not-async.db"})
    assert result.returncode == 2
    assert result.stderr.strip().startswith("Configuration error: DATABASE_URL:")
    assert len(result.stderr.strip().splitlines()) == 1

    result = run_serve(tmp_path, {**env, "SLACK_BOT_TOKEN": "xoxb-123"})
    assert result.returncode == 2
    assert "SLACK_SIGNING_SECRET" in result.stderr


def test_a_malformed_token_key_is_named_by_position_and_never_echoed() -> None:
    good, bad = new_key(), "c2hvcnQta2V5"
    with pytest.raises(ConfigError) as error:
        settings(**OAUTH, token_encryption_keys=f"{good}, {bad}")
    assert str(error.value) == (
        "Configuration error: TOKEN_ENCRYPTION_KEYS: key 2 of 2 is not a Fernet key "
        "(32 url-safe base64-encoded bytes); make one with `followthrough keys new`"
    )
    assert bad not in str(error.value) and good not in str(error.value)


def test_oauth_without_a_token_key_says_how_to_make_one() -> None:
    with pytest.raises(ConfigError) as error:
        settings(**OAUTH)
    assert str(error.value) == (
        "Configuration error: TOKEN_ENCRYPTION_KEYS is required with OAuth, to encrypt stored tokens; "
        "make one with `followthrough keys new`"
    )


def test_token_keys_the_first_encrypts_and_every_one_decrypts() -> None:
    old, new = new_key(), new_key()
    written_before = TokenCipher([old]).encrypt("xoxb-1")
    both = settings(**OAUTH, token_encryption_keys=f" {new} ,{old} ").token_cipher

    assert both.decrypt(written_before) == "xoxb-1"
    assert TokenCipher([new]).decrypt(both.encrypt("xoxb-2")) == "xoxb-2"
    # Single-token mode stores nothing, so it needs no key; an empty variable is an unset one.
    assert settings(slack_bot_token="xoxb-1", slack_signing_secret="s", token_encryption_keys="").token_cipher is None
