"""One replica's outbox sender as a process of its own, for tests that run several on one PostgreSQL database:

    python -m tests.support.sender_process DATABASE_URL API_URL CIPHER_KEY LEASE_SECONDS

Each workspace is an OAuth install (its bot token in the encrypted installation store), so the stand-in keys
its rate limits by workspace. Runs until SIGTERM; a test that SIGKILLs it plays a replica that dies."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from datetime import timedelta

from bot.clock import SystemClock
from bot.database import Database
from bot.installation_store import EncryptedInstallationStore
from bot.slack_clients import SlackClients
from bot.token_cipher import TokenCipher
from scheduler.partitions import partitions_for
from scheduler.sender import Sender, SenderConfig

CLIENT_ID = "1111.2222"


async def main(database_url: str, api_url: str, key: str, lease: float) -> None:
    database = Database.from_url(database_url)
    store = EncryptedInstallationStore(CLIENT_ID, database.engine, TokenCipher([key]))
    clients = SlackClients(base_url=api_url, installation_store=store)
    config = SenderConfig(lease=timedelta(seconds=lease), lease_margin=timedelta(seconds=lease / 2))
    sender = Sender(
        sessions=database.sessions,
        clients=clients,
        clock=SystemClock(),
        config=config,
        partitions=partitions_for(database.engine),
    )
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    try:
        await sender.run(stop)
    finally:
        await clients.close()
        await database.dispose()


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    url, api, cipher_key, lease_seconds = sys.argv[1:5]
    asyncio.run(main(url, api, cipher_key, float(lease_seconds)))
