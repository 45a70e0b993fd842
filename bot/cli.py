"""`followthrough` command line: serve, scheduler, shell, db, keys, manifest."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Coroutine
from typing import Any

from bot.settings import LOCAL_MOUNT, ConfigError, Settings, load_settings

log = logging.getLogger("followthrough")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="followthrough", description="Followthrough: execution habits in Slack.")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the app (HTTP, Socket Mode, or local mode without credentials)")
    serve.add_argument("--host", help="address to listen on (default: HOST setting)")
    serve.add_argument("--port", type=int, help="port to listen on (default: PORT setting)")
    sched = sub.add_parser("scheduler", help="run only the scheduler (set SCHEDULER_ENABLED=false on `serve` then)")
    sched.add_argument("--metrics-port", type=int, help="serve /metrics and /healthz on this port")
    shell = sub.add_parser("shell", help="talk to the app like Slack would, from a terminal (local mode)")
    shell.add_argument("--url", help="a running app's base URL (default: start or find one locally)")
    shell.add_argument("--as", dest="user", default="U0LOCAL", help="who to act as: a name such as alex, or a user id")
    shell.add_argument("--channel", default="C0GENERAL", help="where to type: a #name such as #general, or an id")
    db = sub.add_parser("db", help="database migrations")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="migrate to the newest schema")
    down = db_sub.add_parser("downgrade", help="migrate back to a revision (default: base, which drops everything)")
    down.add_argument("revision", nargs="?", default="base")
    db_sub.add_parser("current", help="print the database's migration revision")
    keys = sub.add_parser("keys", help="the keys that encrypt stored Slack tokens (TOKEN_ENCRYPTION_KEYS)")
    keys_sub = keys.add_subparsers(dest="keys_command", required=True)
    keys_sub.add_parser("new", help="print a fresh key")
    keys_sub.add_parser("rotate", help="re-encrypt every stored token with the first key (and encrypt plain ones)")
    manifest = sub.add_parser(
        "manifest", help="print the Slack app manifest (YAML) to create the app from; needs no tokens"
    )
    manifest.add_argument("--url", help="the app's public https:// address, where Slack sends requests (PUBLIC_URL)")
    manifest.add_argument(
        "--socket-mode", action="store_true", help="the app connects to Slack itself: no public address needed"
    )
    manifest.add_argument("--oauth", action="store_true", help="install in many workspaces (HTTP mode only)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "keys" and args.keys_command == "new":
        # Before the settings: a fresh key is what an OAuth configuration without one is missing.
        from bot.token_cipher import new_key

        print(new_key())
        return 0
    if args.command == "manifest":
        # Before the settings too: the manifest comes before any token exists.
        from bot.manifest import print_manifest

        return print_manifest(args.url, args.socket_mode, args.oauth)
    # The shell's screen is a conversation: only warnings from the machinery belong on it.
    level = logging.WARNING if args.command == "shell" else logging.INFO
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    overrides = {
        k: v
        for k, v in {"host": getattr(args, "host", None), "port": getattr(args, "port", None)}.items()
        if v is not None
    }
    try:
        settings = load_settings(**overrides)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    if args.command == "serve":
        return run_fast(serve(settings))
    if args.command == "scheduler":
        from scheduler.service import run_standalone

        return asyncio.run(run_standalone(settings, args.metrics_port))
    if args.command == "shell":
        from bot.devtools.shell import run_shell

        return asyncio.run(run_shell(settings, url=args.url, user=args.user, channel=args.channel))
    if args.command == "db":
        return asyncio.run(database_command(settings, args.db_command, getattr(args, "revision", None)))
    if args.command == "keys":
        return asyncio.run(rotate_keys(settings))
    return 2


def run_fast(main: Coroutine[Any, Any, int]) -> int:
    """Runs `main` on uvloop where it is installed (uvicorn[standard] brings it): with httptools, which uvicorn
    picks by itself, it takes about a third off the CPU of every request. asyncio.run would use the default loop."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(main)
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        return runner.run(main)


async def database_command(settings: Settings, action: str, revision: str | None) -> int:
    from bot import migrate
    from bot.database import Database

    database = Database.from_url(settings.database_url, settings.db_timeouts)
    try:
        if action == "upgrade":
            await migrate.upgrade(database.engine)
        elif action == "downgrade":
            await migrate.downgrade(database.engine, revision or "base")
        print(", ".join(sorted(await migrate.current_revisions(database.engine))) or "(empty)")
    finally:
        await database.dispose()
    return 0


async def rotate_keys(settings: Settings) -> int:
    """`keys rotate`: every stored token encrypted with the first key, so the other keys can then go."""
    from bot import migrate
    from bot.database import Database
    from bot.installation_store import rotate_stored_tokens
    from bot.token_cipher import KEY_HELP, UndecryptableToken

    if settings.token_cipher is None:
        print(f"Configuration error: TOKEN_ENCRYPTION_KEYS is not set; {KEY_HELP}", file=sys.stderr)
        return 2
    database = Database.from_url(settings.database_url, settings.db_timeouts)
    try:
        if await migrate.current_revisions(database.engine) != migrate.head_revisions():
            print("the database is not at the newest schema; run `followthrough db upgrade` first", file=sys.stderr)
            return 1
        rotation = await rotate_stored_tokens(database.engine, settings.token_cipher)
    except UndecryptableToken as exc:
        print(f"nothing changed: {exc}", file=sys.stderr)
        return 1
    finally:
        await database.dispose()
    tables = ", ".join(f"{name}: {count}" for name, count in rotation.tokens.items())
    plain = rotation.were_plain
    print(f"re-encrypted {rotation.total} stored tokens with the first key ({tables}); {plain} were plain text")
    return 0


async def serve(settings: Settings) -> int:
    import uvicorn

    from bot.asgi_server import cannot_listen, listening_socket
    from bot.web import create_app

    # The port first: a busy one is one line and exit 1, before migrations, the scheduler or "ready".
    try:
        sock = listening_socket(settings.host, settings.port)
    except OSError as exc:
        print(cannot_listen(settings.host, settings.port, exc, retry="followthrough serve --port", setting="PORT"),
              file=sys.stderr)  # fmt: skip
        return 1
    config = uvicorn.Config(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        limit_concurrency=settings.max_connections,  # past it, uvicorn answers 503 at once
        timeout_keep_alive=5,  # an idle connection is closed after 5 s (Slack opens a new one as needed)
    )
    # After uvicorn's Config, which sets up its loggers: the stand-in's traffic (the shell polling its feed
    # twice a second, the app's own Web API calls in local mode) is not the app's, and stays out of the log.
    logging.getLogger("uvicorn.access").addFilter(StandinTraffic())
    log.info("listening on http://%s:%d", settings.host, settings.port)
    server = uvicorn.Server(config)
    try:
        await server.serve(sockets=[sock])
    finally:
        sock.close()
    return 0 if server.started else 1


class StandinTraffic(logging.Filter):
    """Drops uvicorn's access lines for local mode's own routes: the Slack stand-in, and what the shell asks."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        # uvicorn.access: (client address, method, path with query, HTTP version, status)
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            return not args[2].startswith(LOCAL_MOUNT + "/")
        return True


if __name__ == "__main__":
    sys.exit(main())
