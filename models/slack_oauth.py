"""slack_sdk's installation and OAuth state tables, declared on our metadata so Alembic owns them.

The columns are slack_sdk's, except that the secret ones (SECRET_COLUMNS) are wider: they hold Fernet
ciphertext (see bot/token_cipher.py), which is about 1.8 times the token's length. SECRET_LENGTH fits the
ciphertext of any value that slack_sdk's own 200-character column could hold.
"""

from __future__ import annotations

from collections.abc import Callable

from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Column, Index, MetaData, String, Table
from sqlalchemy.types import TypeEngine

from models.base import Base

SECRET_LENGTH = 400
# Every value slack_sdk's installation store writes that lets someone act as the app, per table.
SECRET_COLUMNS = {
    "slack_installations": (
        "bot_token",
        "bot_refresh_token",
        "user_token",
        "user_refresh_token",
        "incoming_webhook_url",
    ),
    "slack_bots": ("bot_token", "bot_refresh_token"),
}
_BUILDERS: dict[str, Callable[[MetaData, str], Table]] = {
    "slack_installations": SQLAlchemyInstallationStore.build_installations_table,
    "slack_bots": SQLAlchemyInstallationStore.build_bots_table,
}


def installation_table(name: str, metadata: MetaData, secret_type: TypeEngine | None = None) -> Table:
    """slack_sdk's table `name` ("slack_installations" or "slack_bots") with its secret columns of
    `secret_type` (the app's store passes one that encrypts), a plain String(SECRET_LENGTH) by default."""
    source = _BUILDERS[name](MetaData(), name)
    secrets = SECRET_COLUMNS[name]
    columns = [
        Column(column.name, secret_type if secret_type is not None else String(SECRET_LENGTH))
        if column.name in secrets
        else column._copy()  # the column as slack_sdk declares it, defaults included
        for column in source.columns
    ]
    indexes = [Index(index.name, *(column.name for column in index.columns)) for index in source.indexes]
    return Table(name, metadata, *columns, *indexes)


slack_installations = installation_table("slack_installations", Base.metadata)
slack_bots = installation_table("slack_bots", Base.metadata)
slack_oauth_states = SQLAlchemyOAuthStateStore.build_oauth_states_table(Base.metadata, "slack_oauth_states")
