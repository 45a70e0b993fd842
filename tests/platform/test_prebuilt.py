"""Prebuilt statements (services/prebuilt.py), which the hottest paths run on PostgreSQL's driver directly: they
share the session's transaction, convert values as SQLAlchemy does, raise SQLAlchemy's errors, and the objects
they load behave as loaded ones."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import bindparam, insert, select
from sqlalchemy.exc import IntegrityError

from models import Outcome, OutcomeStatus, Person, SlackEvent, Workspace
from services import people
from services.outcomes import queries
from services.prebuilt import Prebuilt
from tests.support.outcomes import define

_RECORD = Prebuilt(insert(SlackEvent).values(event_id=bindparam("key"), team_id="T0LOCAL", received_at=bindparam("at")))
AT = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


async def test_a_prebuilt_write_is_part_of_the_session_transaction(db) -> None:
    async with db.sessions() as session:
        assert await _RECORD.execute(session, {"key": "rolled-back", "at": AT}) == 1  # the transaction's first
        await session.rollback()
    async with db.sessions.begin() as session:
        await _RECORD.execute(session, {"key": "kept", "at": AT})

    async with db.sessions() as session:
        stored = {e.event_id: e.received_at for e in await session.scalars(select(SlackEvent))}
    assert stored == {"kept": AT}


async def test_a_refused_prebuilt_write_raises_sqlalchemys_error_and_keeps_nothing(db) -> None:
    async with db.sessions.begin() as session:
        await _RECORD.execute(session, {"key": "once", "at": AT})

    async with db.sessions() as session:
        with pytest.raises(IntegrityError):
            await _RECORD.execute(session, {"key": "once", "at": AT})
        await session.rollback()
        assert await _RECORD.execute(session, {"key": "twice", "at": AT}) == 1  # the session goes on after it
        await session.commit()

    async with db.sessions() as session:
        assert sorted(await session.scalars(select(SlackEvent.event_id))) == ["once", "twice"]


async def test_the_actor_and_an_outcome_load_with_their_types_and_save_like_loaded_objects(harness) -> None:
    await define(harness, leading="Demos booked: 2 -> 10")
    await harness.slack.command(harness.me, "/progress", "O-1 31 at-risk pilot slipped")

    async with harness.db.sessions() as session:
        workspace, me = await people.find_actor(session, team_id="T0LOCAL", slack_user_id="U0LOCAL")
        outcome = await queries.get_outcome(session, workspace_id=workspace.id, ref="O-1", lock=True)
        assert outcome is not None and not session.dirty
        assert outcome.status is OutcomeStatus.AT_RISK  # the enum, not its text
        assert outcome.last_progress_at is not None and outcome.last_progress_at.tzinfo is not None
        assert [(m.name, m.current_value) for m in outcome.metrics] == [("Activation", 31.0), ("Demos booked", None)]
        assert outcome.owner is me and me.workspace is workspace  # one object per row, as the identity map has it
        me.display_name, outcome.title = "Dana S.", "Cut time to first value to two hours"
        await session.commit()

    async with harness.db.sessions() as session:
        saved = (await session.execute(select(Person.display_name, Outcome.title).join(Outcome.owner))).one()
        assert tuple(saved) == ("Dana S.", "Cut time to first value to two hours")
        assert await session.scalar(select(Workspace.team_id)) == "T0LOCAL"
