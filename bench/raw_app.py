"""The floor of `/progress` on this stack: Bolt on FastAPI, and the app's own statements run with raw asyncpg.

    SLACK_BOT_TOKEN=... SLACK_SIGNING_SECRET=... SLACK_API_URL=... DATABASE_URL=postgresql+asyncpg://... \
        python -m bench.raw_app --port P

bench/bare_app.py only acks; this does the database work of `followthrough serve` too, and nothing else: in one
transaction (BEGIN and COMMIT, as the app's), the request's key recorded with its workspace and person looked up
(bot/once.py's statement), the outcome locked and read with its metrics (services/outcomes/loading.py's), the
update, its reading, the metric and the outcome written (services/outcomes/writes.py's), then a one-line ack. The
statements are the app's own prebuilt ones, compiled the same way, their parameters converted by the same
processors; there is no ORM, no session, no middleware, no checks and no reply worth reading. What `serve` costs
above this is what its rules, its objects and its middleware cost. Everyone who sends a command must already be
a person of the workspace (bench.progress seeds them). Same server options as bare_app and `serve`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import asyncpg
from fastapi import FastAPI
from slack_bolt.context.ack.async_ack import AsyncAck
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect

from bench.bare_app import bolt_app, run, serve_app, web_app
from bot.once import _RECORD_AND_FIND
from models import MetricKind, ProgressSource
from services.outcomes.loading import _STATEMENTS
from services.outcomes.writes import _one_statement
from services.prebuilt import Prebuilt

_DIALECT = asyncpg_dialect()


class Raw:
    """One of the app's prebuilt statements, its SQL and its parameters as the app would send them."""

    def __init__(self, prebuilt: Prebuilt) -> None:
        compiled = prebuilt._for(_DIALECT)
        self.sql, self._binds = compiled.sql, compiled.binds
        self.at = {name: n for n, name in enumerate(prebuilt.statement.selected_columns.keys())}

    def args(self, params: Mapping[str, Any]) -> list[Any]:
        return [v if (v := params.get(name, d)) is None or p is None else p(v) for name, p, d in self._binds]


RECORD, OUTCOME, WRITE = Raw(_RECORD_AND_FIND), Raw(_STATEMENTS[(True, "number")]), Raw(_one_statement(1, False))
LAGGING = MetricKind.LAGGING.value


def create_app(pool: asyncpg.Pool) -> FastAPI:
    bolt = bolt_app()

    @bolt.command("/progress")
    async def progress(ack: AsyncAck, command: dict, body: dict) -> None:
        ref, value, note = command["text"].split(maxsplit=2)
        now = datetime.now(UTC)
        key = {"event_id": "sig:" + body["trigger_id"], "event_team": body["team_id"], "at": now}
        async with pool.acquire() as conn, conn.transaction():
            found = await conn.fetchrow(RECORD.sql, *RECORD.args({**key, "team_id": body["team_id"],
                                                                  "user_id": body["user_id"]}))  # fmt: skip
            if found["recorded"] == 0:
                await ack()
                return
            workspace, person = found[RECORD.at["w_id"]], found[RECORD.at["p_id"]]
            rows = await conn.fetch(OUTCOME.sql, *OUTCOME.args({"workspace_id": workspace, "number": int(ref[2:])}))
            metric = next(r[OUTCOME.at["m_id"]] for r in rows if r[OUTCOME.at["m_kind"]] == LAGGING)
            params = {"p_ws": workspace, "p_outcome": rows[0][OUTCOME.at["o_id"]], "p_author": person,
                      "p_note": note, "p_source": ProgressSource.COMMAND, "p_now": now, "p_touched": now,
                      "p_metric0": metric, "p_value0": float(value)}  # fmt: skip
            await conn.fetchrow(WRITE.sql, *WRITE.args(params))
        await ack(text=f"Logged on {ref}: {value}", response_type="ephemeral")  # JSON, as the app answers

    return web_app(bolt)


async def serve(host: str, port: int) -> int:
    dsn = os.environ["DATABASE_URL"].replace("postgresql+asyncpg://", "postgresql://", 1)
    pool = await asyncpg.create_pool(dsn, min_size=1, max_size=20)  # the app's pool_size
    try:
        await serve_app(create_app(pool), host, port)
    finally:
        await pool.close()
    return 0


def main() -> None:
    run(serve)


if __name__ == "__main__":
    main()
