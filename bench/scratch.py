"""Scratch PostgreSQL databases for the benchmarks: the admin connection (FT_BENCH_POSTGRES), and the address the
app reaches a bench database at (over FT_BENCH_POSTGRES_SOCKET's unix socket when it is set)."""

from __future__ import annotations

import os

import asyncpg

POSTGRES_ADMIN = os.environ.get("FT_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")


async def admin(sql: str) -> None:
    conn = await asyncpg.connect(POSTGRES_ADMIN, timeout=10)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def postgres_url(database: str) -> str:
    server = POSTGRES_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
    # FT_BENCH_POSTGRES_SOCKET (a directory, e.g. /var/run/postgresql): the app reaches PostgreSQL over its unix
    # socket rather than loopback TCP, whose kernel work is charged to the app's CPU.
    socket_dir = os.environ.get("FT_BENCH_POSTGRES_SOCKET")
    return f"{server}/{database}" + (f"?host={socket_dir}" if socket_dir else "")
