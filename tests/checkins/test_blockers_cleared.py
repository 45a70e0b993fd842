"""A blocker stays in the way until it is cleared: `blocker: none` on a later update, or the outcome back on track
or done. "none" and "nope" are never blockers themselves. Found by a newcomer trial, where the digest listed
"nope", a blocker already signed off, and one whose outcome was back on track."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from models import Invite, OutcomeStatus, ProgressUpdate
from services.blockers import CLEARED
from tests.checkins.test_digest import MONDAY, world
from tests.support.outcomes import define, reply_text


async def test_the_digest_leaves_out_blockers_cleared_since_and_answers_that_say_there_are_none(db) -> None:
    w = await world(db)
    start = MONDAY - timedelta(days=40)
    signed_off = await w.outcome("Pricing page", "U0ALEX", at=start)
    back_on_track = await w.outcome("Support backlog", "U0ALEX", at=start)
    still_stuck = await w.outcome("Partner program", "U0PRIYA", at=start)
    await w.round((MONDAY - timedelta(weeks=1)).date(), MONDAY - timedelta(weeks=1))
    day = MONDAY - timedelta(days=5)
    await w.log(signed_off, "U0ALEX", day, status=OutcomeStatus.AT_RISK, blocker="legal sign-off")
    await w.log(signed_off, "U0PRIYA", day + timedelta(days=1), note="legal signed off", blocker="none")
    await w.log(back_on_track, "U0ALEX", day, status=OutcomeStatus.AT_RISK, blocker="hiring")
    await w.log(back_on_track, "U0ALEX", day + timedelta(days=2), status=OutcomeStatus.ON_TRACK)
    await w.log(still_stuck, "U0PRIYA", day, blocker="no test account")
    await w.log(still_stuck, "U0PRIYA", day + timedelta(days=1), note="still waiting")  # a note clears nothing
    this = await w.round(MONDAY.date(), MONDAY, {"U0ALEX": {"blocker": "nope"}, "U0PRIYA": {"blocker": "n/a"}})

    digest = await w.digest(this, MONDAY + timedelta(hours=6))

    assert [(b.text, b.outcome.ref if b.outcome else None) for b in digest.blockers] == [
        ("no test account", still_stuck)
    ]
    assert [i.blocker for i in await _invites(db)] == [None, None]
    cleared = [u for u in await _updates(db) if u.blocker == CLEARED]
    assert [(u.note, u.blocker) for u in cleared] == [("legal signed off", CLEARED)]


async def _invites(db):
    async with db.sessions() as session:
        return list(await session.scalars(select(Invite).where(Invite.answered_at.is_not(None)).order_by(Invite.id)))


async def _updates(db):
    async with db.sessions() as session:
        return list(await session.scalars(select(ProgressUpdate).order_by(ProgressUpdate.id)))


async def test_progress_blocker_none_says_earlier_blockers_are_cleared_and_stores_no_blocker_text(harness) -> None:
    await define(harness)
    reply_text(await harness.slack.command(harness.me, "/progress", "O-1 at-risk blocker: legal sign-off"))

    text = reply_text(await harness.slack.command(harness.me, "/progress", "O-1 on-track blocker: none"))

    assert "Nothing in the way any more" in text and "Blocker: none" not in text
    first, second = sorted(await harness.rows(ProgressUpdate), key=lambda u: u.id)
    assert (first.blocker, second.blocker) == ("legal sign-off", CLEARED)
