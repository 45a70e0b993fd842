"""The OAuth installation store, with Slack's tokens encrypted at rest, and the re-encryption behind
`followthrough keys rotate`.

`EncryptedInstallationStore` is slack_sdk's AsyncSQLAlchemyInstallationStore whose tables type their secret
columns (models.slack_oauth.SECRET_COLUMNS) as `EncryptedString`: SQLAlchemy encrypts each value as the
store's INSERT or UPDATE binds it, and decrypts it as a SELECT returns it. slack_sdk's code runs unchanged,
so Bolt's OAuth flow, its authorize, token rotation and revocation, and `SlackClients.client_for` all see
plain tokens, and only ciphertext reaches the database. Values stored in plain text before encryption was
turned on are read as they are; new saves are encrypted, and `rotate_stored_tokens` encrypts the rest.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass, field

from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from sqlalchemy import MetaData, String, Table, desc, func, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.types import TypeDecorator

from bot.token_cipher import FERNET_PREFIX, TokenCipher, UndecryptableToken, is_encrypted
from models.slack_oauth import SECRET_COLUMNS, SECRET_LENGTH, installation_table, slack_bots, slack_installations

log = logging.getLogger(__name__)
Team = tuple[str, str | None]  # (team_id, enterprise_id)


class EncryptedString(TypeDecorator[str]):
    """A string column whose values are stored encrypted with `cipher`."""

    impl = String
    cache_ok = True  # the cipher is part of the cache key (by identity), so two stores never share statements

    def __init__(self, cipher: TokenCipher) -> None:
        super().__init__(SECRET_LENGTH)
        self.cipher = cipher

    def process_bind_param(self, value: str | None, dialect: object) -> str | None:
        return None if value is None else self.cipher.encrypt(value)

    def process_result_value(self, value: str | None, dialect: object) -> str | None:
        return None if value is None else self.cipher.decrypt(value)


class EncryptedInstallationStore(AsyncSQLAlchemyInstallationStore):
    """slack_sdk's store over the same tables, its secret columns encrypted with `cipher`."""

    def __init__(self, client_id: str, engine: AsyncEngine, cipher: TokenCipher) -> None:
        super().__init__(client_id, engine)
        # slack_sdk reads and writes only through these two Table objects, so retyping them is enough.
        self.metadata = MetaData()
        secret = EncryptedString(cipher)
        self.installations = installation_table(self.installations.name, self.metadata, secret)
        self.bots = installation_table(self.bots.name, self.metadata, secret)

    async def async_find_bot_tokens(self, teams: Collection[Team]) -> dict[Team, str]:
        """The bot token of each (team_id, enterprise_id) that has one, as async_find_bot finds it (the latest
        installed, not an org-wide install), for many workspaces in one query: the sender asks once per pass."""
        c = self.bots.c
        query = (
            select(c.team_id, c.enterprise_id, c.bot_token)
            .where(c.client_id == self.client_id, c.team_id.in_(sorted({team for team, _ in teams})))
            .where(c.bot_token.is_not(None))
            .order_by(desc(c.installed_at))
        )
        found: dict[Team, str] = {}
        async with self.engine.connect() as conn:
            for row in await conn.execute(query):
                found.setdefault((row.team_id, row.enterprise_id), row.bot_token)
        return {team: found[team] for team in teams if team in found}


TABLES: tuple[Table, ...] = (slack_installations, slack_bots)


@dataclass
class Rotation:
    """What `rotate_stored_tokens` did: tokens re-encrypted per table, and how many had been plain text."""

    tokens: dict[str, int] = field(default_factory=dict)
    were_plain: int = 0

    @property
    def total(self) -> int:
        return sum(self.tokens.values())


async def rotate_stored_tokens(engine: AsyncEngine, cipher: TokenCipher) -> Rotation:
    """Re-encrypt every stored token with the first key, in one transaction: all of them, or none when one
    does not decrypt (UndecryptableToken names its row)."""
    rotation = Rotation()
    async with engine.begin() as conn:
        for table in TABLES:
            columns = [table.c[name] for name in SECRET_COLUMNS[table.name]]
            rows = (await conn.execute(select(table.c.id, *columns).order_by(table.c.id))).mappings().all()
            count = 0
            for row in rows:
                stored = {column.name: row[column.name] for column in columns if row[column.name] is not None}
                try:
                    values = {name: cipher.reencrypt(value) for name, value in stored.items()}
                except UndecryptableToken as exc:
                    raise UndecryptableToken(f"{table.name} row {row['id']}: {exc}") from None
                if values:
                    await conn.execute(update(table).where(table.c.id == row["id"]).values(**values))
                count += len(values)
                rotation.were_plain += sum(1 for value in stored.values() if not is_encrypted(value))
            rotation.tokens[table.name] = count
    return rotation


async def plain_text_tokens(engine: AsyncEngine) -> int:
    """How many stored tokens are still plain text (from before encryption was turned on)."""
    total = 0
    async with engine.connect() as conn:
        for table in TABLES:
            for name in SECRET_COLUMNS[table.name]:
                column = table.c[name]
                plain = column.is_not(None) & column.not_like(f"{FERNET_PREFIX}%")
                total += await conn.scalar(select(func.count()).select_from(table).where(plain))
    return total


async def warn_of_plain_text_tokens(engine: AsyncEngine) -> None:
    """At start: a deployment from before encryption keeps its old rows plain until `keys rotate` runs."""
    try:
        plain = await plain_text_tokens(engine)
    except SQLAlchemyError:
        return  # not migrated yet: /readyz says so
    if plain:
        log.warning("%d stored Slack tokens are plain text; `followthrough keys rotate` encrypts them", plain)
