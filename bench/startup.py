"""Start-up time of `followthrough serve`: process start to a 200 from /readyz (migrations included).

Usage: python bench/startup.py [runs]. Prints figures; not a test.
"""

from __future__ import annotations

import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_ADMIN = os.environ.get("FT_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
BENCH_DB = "ft_bench_startup"


async def _admin(sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(POSTGRES_ADMIN)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def time_to_ready(env_extra: dict[str, str]) -> float:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_URL"))}
    env.update(PYTHONPATH=str(ROOT), **env_extra)
    with tempfile.TemporaryDirectory() as cwd:
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "serve", "--port", str(port)],
            cwd=cwd,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            while True:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1) as reply:
                        if reply.status == 200:
                            return time.perf_counter() - started
                except OSError:
                    pass
                if process.poll() is not None:
                    raise RuntimeError("the app exited before it was ready")
                time.sleep(0.02)
        finally:
            process.terminate()
            process.wait(20)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    pg_url = POSTGRES_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://") + "/" + BENCH_DB
    cases: dict[str, dict[str, str]] = {
        "local mode, new SQLite file (migrates)": {},
        "HTTP mode, PostgreSQL (first run migrates)": {
            "SLACK_BOT_TOKEN": "xoxb-bench",
            "SLACK_SIGNING_SECRET": "bench",
            "DATABASE_URL": pg_url,
            "SLACK_API_URL": "http://127.0.0.1:9/api",
        },
    }
    asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{BENCH_DB}"'))
    asyncio.run(_admin(f'CREATE DATABASE "{BENCH_DB}"'))
    try:
        for name, env in cases.items():
            figures = [time_to_ready(env) for _ in range(runs)]
            print(
                f"{name}: median {statistics.median(figures):.2f} s, min {min(figures):.2f} s, "
                f"max {max(figures):.2f} s over {runs} runs"
            )
    finally:
        asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)'))


if __name__ == "__main__":
    main()
