"""Slack tokens at rest: every secret the installation store writes is encrypted, rows from before
encryption still work, and `followthrough keys rotate` moves every token to the first key."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from datetime import datetime

import pytest
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from sqlalchemy import select

from bot.cli import main
from bot.installation_store import (
    EncryptedInstallationStore,
    plain_text_tokens,
    rotate_stored_tokens,
    warn_of_plain_text_tokens,
)
from bot.slack_clients import SlackClients
from bot.token_cipher import FERNET_PREFIX, TokenCipher, UndecryptableToken, new_key, parse_keys
from models import slack_bots, slack_installations
from models.slack_oauth import SECRET_COLUMNS

CLIENT_ID = "1111.2222"
KEY_A, KEY_B = new_key(), new_key()
SECRETS = {
    "bot_token": "xoxe.xoxb-1-T0SECOND-bot-" + "b" * 120,  # a rotating token: the longest kind Slack issues
    "bot_refresh_token": "xoxe-1-bot-refresh-" + "r" * 120,
    "user_token": "xoxp-T0SECOND-user-token",
    "user_refresh_token": "xoxe-1-user-refresh-" + "u" * 120,
    "incoming_webhook_url": "https://hooks.slack.com/services/T0SECOND/B0HOOK/abcdefghijklmnopqrstuvwx",
}


def installation(team_id: str = "T0SECOND", **overrides: object) -> Installation:
    values = {
        "app_id": "A0LOCAL",
        "team_id": team_id,
        "user_id": "U0LOCAL",
        "bot_id": "B0BOT",
        "bot_user_id": "U0BOT",
        "bot_token_expires_at": datetime(2030, 1, 1),
        "user_token_expires_at": datetime(2030, 1, 1),
        "incoming_webhook_channel_id": "C0GENERAL",
        "installed_at": 1_800_000_000.0,
        **SECRETS,
        **overrides,
    }
    return Installation(**values)


def store(db, *keys: str) -> EncryptedInstallationStore:
    return EncryptedInstallationStore(CLIENT_ID, db.engine, TokenCipher(list(keys)))


async def stored_secrets(db) -> list[str]:
    """Every value in a secret column, as the database holds it."""
    values = []
    async with db.engine.connect() as conn:
        for table in (slack_installations, slack_bots):
            columns = [table.c[name] for name in SECRET_COLUMNS[table.name]]
            for row in (await conn.execute(select(*columns))).all():
                values.extend(value for value in row if value is not None)
    return values


async def assert_reads_everything(found: EncryptedInstallationStore) -> None:
    found_installation = await found.async_find_installation(enterprise_id=None, team_id="T0SECOND")
    assert {name: getattr(found_installation, name) for name in SECRETS} == SECRETS
    bot = await found.async_find_bot(enterprise_id=None, team_id="T0SECOND")
    assert (bot.bot_token, bot.bot_refresh_token) == (SECRETS["bot_token"], SECRETS["bot_refresh_token"])


async def test_every_secret_the_store_writes_is_encrypted_and_read_back(db) -> None:
    encrypted = store(db, KEY_A)
    await encrypted.async_save(installation())

    raw = await stored_secrets(db)
    assert len(raw) == 7  # five in the installation row, two in the bot row
    assert all(value.startswith(FERNET_PREFIX) for value in raw)
    assert not [value for value in raw for secret in SECRETS.values() if secret in value]
    await assert_reads_everything(encrypted)
    by_user = await encrypted.async_find_installation(enterprise_id=None, team_id="T0SECOND", user_id="U0LOCAL")
    assert by_user.user_token == SECRETS["user_token"] and by_user.bot_token == SECRETS["bot_token"]


async def test_saving_an_installation_again_updates_it_encrypted(db) -> None:
    encrypted = store(db, KEY_A)
    await encrypted.async_save(installation())
    await encrypted.async_save(installation(user_token="xoxp-T0SECOND-user-token-2"))  # same installed_at: update

    found = await encrypted.async_find_installation(enterprise_id=None, team_id="T0SECOND")
    assert found.user_token == "xoxp-T0SECOND-user-token-2"
    assert len(await stored_secrets(db)) == 7
    assert all(value.startswith(FERNET_PREFIX) for value in await stored_secrets(db))


async def save_in_plain_text(db) -> None:
    """What a deployment from before encryption has stored: slack_sdk's own store, no cipher."""
    await AsyncSQLAlchemyInstallationStore(CLIENT_ID, db.engine).async_save(installation())


async def test_a_token_stored_in_plain_text_before_encryption_is_still_read(db, standin_server) -> None:
    await save_in_plain_text(db)
    encrypted = store(db, KEY_A)

    await assert_reads_everything(encrypted)
    _, base_url = standin_server
    clients = SlackClients(base_url=f"{base_url}/api/", installation_store=encrypted)
    try:
        client = await clients.client_for("T0SECOND")
    finally:
        await clients.close()
    assert client is not None and client.token == SECRETS["bot_token"]


async def test_start_up_warns_while_plain_text_tokens_remain(db, caplog: pytest.LogCaptureFixture) -> None:
    await save_in_plain_text(db)
    with caplog.at_level(logging.WARNING, logger="bot.installation_store"):
        await warn_of_plain_text_tokens(db.engine)
    assert "7 stored Slack tokens are plain text; `followthrough keys rotate` encrypts them" in caplog.text

    await rotate_stored_tokens(db.engine, TokenCipher([KEY_A]))
    caplog.clear()
    await warn_of_plain_text_tokens(db.engine)
    assert caplog.text == ""


async def followthrough(*args: str, **env: str) -> tuple[int, str, str]:
    """The installed command line, in its own process, with only the given settings."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_URL", "TOKEN_"))}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        *args,
        env={**clean, "PYTHONPATH": os.getcwd(), **env},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 60)
    return process.returncode, out.decode(), err.decode()


async def test_keys_rotate_encrypts_the_tokens_stored_in_plain_text(db) -> None:
    await save_in_plain_text(db)
    url = db.engine.url.render_as_string(hide_password=False)

    code, out, err = await followthrough("keys", "rotate", DATABASE_URL=url, TOKEN_ENCRYPTION_KEYS=KEY_A)

    assert code == 0, err
    assert "re-encrypted 7 stored tokens with the first key (slack_installations: 5, slack_bots: 2)" in out
    assert "7 were plain text" in out
    raw = await stored_secrets(db)
    assert len(raw) == 7 and all(value.startswith(FERNET_PREFIX) for value in raw)
    assert await plain_text_tokens(db.engine) == 0
    await assert_reads_everything(store(db, KEY_A))


async def test_rotation_moves_every_token_from_the_old_key_to_the_new_one(db) -> None:
    await store(db, KEY_A).async_save(installation())
    await store(db, KEY_A).async_save(installation("T0THIRD", installed_at=1_800_000_100.0))

    await assert_reads_everything(store(db, KEY_B, KEY_A))  # the new key first: both still read
    rotation = await rotate_stored_tokens(db.engine, TokenCipher(parse_keys(f"{KEY_B},{KEY_A}")))

    assert rotation.tokens == {"slack_installations": 10, "slack_bots": 4} and rotation.were_plain == 0
    await assert_reads_everything(store(db, KEY_B))  # the old key can go now
    third = await store(db, KEY_B).async_find_bot(enterprise_id=None, team_id="T0THIRD")
    assert third.bot_token == SECRETS["bot_token"]
    with pytest.raises(UndecryptableToken):
        await store(db, KEY_A).async_find_bot(enterprise_id=None, team_id="T0SECOND")


async def test_rotation_changes_nothing_when_a_token_opens_with_none_of_the_keys(db) -> None:
    await store(db, KEY_A).async_save(installation())
    before = await stored_secrets(db)

    with pytest.raises(UndecryptableToken, match="slack_installations row"):
        await rotate_stored_tokens(db.engine, TokenCipher([KEY_B]))

    assert await stored_secrets(db) == before


async def test_keys_rotate_without_keys_says_how_to_make_one(db) -> None:
    url = db.engine.url.render_as_string(hide_password=False)
    code, _, err = await followthrough("keys", "rotate", DATABASE_URL=url)
    assert code == 2
    assert err.strip() == (
        "Configuration error: TOKEN_ENCRYPTION_KEYS is not set; make one with `followthrough keys new`"
    )


def test_keys_new_prints_a_fresh_key_even_while_oauth_lacks_one(monkeypatch, capsys, tmp_path) -> None:
    monkeypatch.chdir(tmp_path)  # no .env
    for name, value in {"SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "c", "SLACK_SIGNING_SECRET": "s"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("TOKEN_ENCRYPTION_KEYS", raising=False)

    assert main(["keys", "new"]) == 0
    assert main(["keys", "new"]) == 0

    first, second = capsys.readouterr().out.split()
    assert parse_keys(first) == [first] and first != second


async def test_looking_up_many_workspaces_at_once_finds_what_one_at_a_time_finds(db, standin_server) -> None:
    encrypted = store(db, KEY_A)
    await encrypted.async_save(installation())
    await encrypted.async_save(installation("T0GRID", enterprise_id="E0GRID", bot_token="xoxb-T0GRID-old"))
    await encrypted.async_save(
        installation("T0GRID", enterprise_id="E0GRID", bot_token="xoxb-T0GRID-new", installed_at=1_900_000_000.0)
    )
    await encrypted.async_save(installation("T0GONE", bot_token=None, bot_id=None, bot_user_id=None))
    _, base_url = standin_server
    clients = SlackClients(base_url=f"{base_url}/api/", installation_store=encrypted)
    teams = [("T0SECOND", None), ("T0GRID", "E0GRID"), ("T0GRID", None), ("T0GONE", None), ("T0NOTYET", None)]
    try:
        at_once = await clients.clients_for(teams)
        one_at_a_time = {team: await clients.client_for(*team) for team in teams}
    finally:
        await clients.close()

    def tokens(found: dict) -> dict:
        return {team: client.token if client is not None else None for team, client in found.items()}

    assert tokens(at_once) == tokens(one_at_a_time)
    assert tokens(at_once) == {
        ("T0SECOND", None): SECRETS["bot_token"],
        ("T0GRID", "E0GRID"): "xoxb-T0GRID-new",
        ("T0GRID", None): None,
        ("T0GONE", None): None,
        ("T0NOTYET", None): None,
    }
