"""Idempotency keys are never built from ids the database hands out again (issue 10 item 1).

SQLite gives a deleted row's id to the next row. When outbox keys were built from ids, a check-in deleted and
set up again had round 1 again, its messages matched the keys of round 1's (sent already), and nothing went
out. Every key of a check-in and of a decision is now built from a token made when the row is created.
"""

from __future__ import annotations

import ast
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import delete, text

from bot import migrate
from bot.database import Database
from handlers.checkins.blocks.ids import CheckinIds
from models import Cadence, Decision, DeliveryState, Round
from services.decisions import walk
from tests.support.checkins import deliver, deliveries, press_in_reply, reply_button, rounds, setup_values
from tests.support.decisions import ask, dm_texts, install_clock
from tests.support.outcomes import opened_view

pytest_plugins = ["tests.support.outbox_fixtures"]
# What the feature sends and when, apart from the attention policy that may hold it (tests/attention).
pytestmark = pytest.mark.usefixtures("around_the_clock")
CHANNEL = "C0GENERAL"


async def set_up(harness, **values) -> None:
    await harness.slack.command(harness.me, "/checkin", "")
    response = await harness.slack.view_submission(harness.me, opened_view(harness), setup_values(**values))
    assert response.json()["response_action"] == "update", response.text


async def start_and_deliver(harness, clock, sender) -> Round:
    said = (await harness.slack.command(harness.me, "/checkin", "now")).json()["text"]
    assert said.startswith("Started: a thread in <#C0GENERAL> and a direct message to 1 person"), said
    clock.set(max(clock.now(), datetime.now(UTC)))
    await deliver(sender)
    return (await rounds(harness.db))[-1]


async def delete_here(harness) -> None:
    question = (await harness.slack.command(harness.me, "/checkin", "delete")).json()
    assert "is deleted" in await press_in_reply(harness, harness.me, question, CheckinIds.DELETE)


def sqlite(harness) -> bool:
    return harness.db.engine.dialect.name == "sqlite"


async def test_a_check_in_deleted_and_set_up_again_really_sends_its_round(harness, clock, sender) -> None:
    await set_up(harness, audience="chosen", members=["U0ALEX"])
    first = await start_and_deliver(harness, clock, sender)
    assert len(harness.standin.messages(CHANNEL)) == 1 and len(harness.standin.messages("U0ALEX")) == 1

    await delete_here(harness)
    await set_up(harness, audience="chosen", members=["U0ALEX"])
    second = await start_and_deliver(harness, clock, sender)

    if sqlite(harness):  # the case that lost the messages: the same ids again
        assert (second.id, (await harness.rows(Cadence))[0].id) == (first.id, 1)
    assert second.token != first.token
    threads = harness.standin.messages(CHANNEL)
    asks = harness.standin.messages("U0ALEX")
    assert len(threads) == 2 and all(m["text"].startswith("Check-in ·") for m in threads)
    assert len(asks) == 2 and all("Time for the" in m["text"] for m in asks)
    sent = [d for d in await deliveries(harness.db) if d.state == DeliveryState.SENT]
    assert {d.key for d in sent} >= {f"checkin:{second.token}:thread", f"checkin:{second.token}:U0ALEX:ask"}


async def test_an_answer_button_of_a_deleted_round_does_not_open_the_new_one(harness, clock, sender) -> None:
    await set_up(harness, audience="chosen", members=["U0ALEX"])
    await start_and_deliver(harness, clock, sender)
    [old_ask] = harness.standin.messages("U0ALEX")
    await delete_here(harness)
    await set_up(harness, audience="chosen", members=["U0ALEX"])
    await start_and_deliver(harness, clock, sender)

    alex = harness.actor("U0ALEX", channel_id="DU0ALEX", channel_name="directmessage")
    opened = len(harness.standin.calls_to("views.open"))
    await harness.slack.block_action(alex, reply_button(old_ask, CheckinIds.ANSWER), message=old_ask)

    assert len(harness.standin.calls_to("views.open")) == opened
    answers = [c.args.get("text") for c in harness.standin.calls if c.method == "response_url"]
    assert answers[-1] == "That check-in round no longer exists."


async def test_a_decision_whose_id_comes_back_still_tells_its_people(harness, clock, sender) -> None:
    clock.set(datetime(2026, 11, 30, 8, 0, tzinfo=UTC))
    install_clock(harness, clock)
    first = await ask(harness, harness.actor("U0ALEX"), decider="U0PRIYA", consulted=[])
    await deliver(sender)
    assert len(dm_texts(harness, "U0PRIYA")) == 1
    async with harness.db.sessions.begin() as session:  # nothing in the app deletes one; a row removed by hand
        await session.execute(delete(Decision).where(Decision.id == first.id))

    second = await ask(harness, harness.actor("U0ALEX"), decider="U0PRIYA", consulted=[])
    await deliver(sender)

    if sqlite(harness):
        assert second.id == first.id
    assert second.number == 2  # the ref counter never goes back: D-1 is not handed out again
    assert second.token != first.token
    told = dm_texts(harness, "U0PRIYA")
    assert len(told) == 2 and "D-2" in told[1]
    assert walk.decision_prefix(second.token) != walk.decision_prefix(first.token)


async def test_rows_from_before_the_upgrade_keep_their_keys(empty_database_url) -> None:
    """Migration 0008 gives existing rows their id as token: what they queued, their recorded pings and their
    Answer buttons still match; and no row that references them is lost on SQLite."""
    for backend in ("sqlite", "postgresql"):
        database = Database.from_url(await empty_database_url(backend))
        try:
            await migrate.upgrade(database.engine, "0007")
            async with database.engine.begin() as conn:
                for statement in BEFORE_0008:
                    await conn.execute(text(statement))
            await migrate.upgrade(database.engine)
            async with database.engine.connect() as conn:
                tokens = [
                    (await conn.execute(text(f"SELECT token FROM {table}"))).scalar_one()
                    for table in ("checkin_cadence", "checkin_round", "decision")
                ]
                invites = (await conn.execute(text("SELECT count(*) FROM checkin_invite"))).scalar_one()
                members = (await conn.execute(text("SELECT count(*) FROM decision_member"))).scalar_one()
            assert tokens == ["7", "41", "3"] and (invites, members) == (1, 1), backend
        finally:
            await database.dispose()


BEFORE_0008 = [
    "INSERT INTO workspace (id, team_id, timezone, created_at) VALUES (1, 'T0OLD', 'UTC', '2026-11-01 09:00:00')",
    "INSERT INTO person (id, workspace_id, slack_user_id, is_admin, is_deleted, created_at) "
    "VALUES (1, 1, 'U0OLD', false, false, '2026-11-01 09:00:00')",
    "INSERT INTO checkin_cadence (id, workspace_id, channel_id, owner_id, audience, interval_weeks, weekdays, "
    "local_time, zone_mode, timezone, starts_on, questions, ask_blocker, ask_confidence, digest_after_minutes, "
    "paused, updated_at, created_at) VALUES (7, 1, 'C0OLD', 1, 'chosen', 1, '[0]', '09:30:00', 'personal', 'UTC', "
    "'2026-11-02', '[\"What moved?\"]', true, true, 360, false, '2026-11-01 09:00:00', '2026-11-01 09:00:00')",
    "INSERT INTO checkin_round (id, workspace_id, cadence_id, channel_id, occurs_on, opened_at, questions, "
    "ask_blocker, ask_confidence, digest_at, digest_revision) VALUES (41, 1, 7, 'C0OLD', '2026-11-02', "
    "'2026-11-02 09:30:00', '[\"What moved?\"]', true, true, '2026-11-02 15:30:00', 0)",
    "INSERT INTO checkin_invite (id, workspace_id, round_id, person_id, ask_at, away, revision, late) "
    "VALUES (1, 1, 41, 1, '2026-11-02 09:30:00', false, 0, false)",
    "INSERT INTO decision (id, workspace_id, number, question, context, options, decider_id, deadline, status, "
    "round, round_started_at, updated_at, created_at) VALUES (3, 1, 1, 'Which?', '', '[]', 1, "
    "'2026-12-02 14:00:00', 'open', 1, '2026-11-01 09:00:00', '2026-11-01 09:00:00', '2026-11-01 09:00:00')",
    "INSERT INTO decision_member (decision_id, person_id, workspace_id, role) VALUES (3, 1, 1, 'informed')",
]


OUTBOX_CALLS = {"enqueue", "cancel", "get", "reschedule"}  # services.outbox's
KEY_ARGUMENTS = {"key", "key_prefix", "thread_of"}  # how they name a delivery
KEY_BUILDERS = {"delivery_key", "decision_key", "decision_prefix", "round_prefix", "nudge_key", "level_key"}
SLACK_IDS = {"slack_user_id", "user_id", "channel_id", "team_id", "owner", "target", "user"}  # Slack's: never reused


def database_ids(node: ast.AST) -> list[str]:
    """Names in an expression that look like ids the database hands out (`x.id`, `round_id`)."""
    found = []
    for part in ast.walk(node):
        name = part.attr if isinstance(part, ast.Attribute) else part.id if isinstance(part, ast.Name) else None
        if name and (name == "id" or name.endswith("_id")) and name not in SLACK_IDS:
            found.append(name)
    return found


def test_no_outbox_key_in_the_app_is_built_from_a_database_id() -> None:
    """The class of item 1, for every feature to come: keys given to the outbox, and the functions that build
    them, use tokens (models.base.new_token) and Slack's ids, never a row's id."""
    offences = []
    for path in sorted(Path(".").glob("*/**/*.py")):
        if path.parts[0] not in ("bot", "handlers", "services", "scheduler"):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            called = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            parts = [k.value for k in node.keywords if k.arg in KEY_ARGUMENTS and called in OUTBOX_CALLS]
            if called in KEY_BUILDERS:
                parts += node.args
            offences += [f"{path}:{node.lineno} {name}" for part in parts for name in database_ids(part)]
    assert offences == []
