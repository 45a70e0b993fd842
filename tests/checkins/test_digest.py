"""The digest's content: who answered and who did not, the team's outcomes by status, what changed since the
last round, blockers with whose they are, outcomes with no update for two rounds, and kept short."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.clock import MovableClock
from handlers.checkins.blocks.digest import digest_message
from models import OutcomeStatus, ProgressSource
from services import checkins, outcomes, people
from services.checkins.digest import LIST_LIMIT, build_digest
from services.outcomes import Entry, OutcomeForm, log_progress
from tests.support.checkins import set_up
from tests.support.outcomes import all_text

MONDAY = datetime(2026, 11, 30, 8, 30, tzinfo=UTC)  # 09:30 in Berlin


def form(title: str, owner: str) -> OutcomeForm:
    return OutcomeForm(
        title=title,
        definition_of_done="Done when it is done.",
        due="2027-03-01",
        lagging_name="Activation",
        unit="%",
        baseline="20",
        target="40",
        leading="Demos booked: 2 -> 10",
        owner_user_id=owner,
    )


class World:
    """A workspace with Dana, Alex and Priya, a Berlin check-in for Alex and Priya, and helpers to act in it."""

    def __init__(self, db) -> None:
        self.db = db

    async def person(self, session, user: str):
        workspace = await people.ensure_workspace(session, team_id="T0LOCAL")
        found = await people.ensure_person(session, workspace=workspace, slack_user_id=user)
        found.display_name = {"U0LOCAL": "Dana", "U0ALEX": "Alex", "U0PRIYA": "Priya", "U0SAM": "Sam"}[user]
        return found

    async def outcome(self, title: str, owner: str, *, channel: str | None = None, at: datetime):
        async with self.db.sessions.begin() as session:
            workspace = await people.ensure_workspace(session, team_id="T0LOCAL")
            author = await self.person(session, owner)
            made = await outcomes.create_outcome(
                session,
                workspace=workspace,
                author=author,
                form=form(title, owner),
                channel_id=channel,
                today=at.date(),
                now=at,
            )
            return made.ref

    async def log(self, ref: str, user: str, at: datetime, **kw) -> None:
        async with self.db.sessions.begin() as session:
            found = await outcomes.get_outcome(
                session, workspace_id=(await self.person(session, user)).workspace_id, ref=ref
            )
            await log_progress(
                session,
                outcome=found,
                author=await self.person(session, user),
                source=ProgressSource.COMMAND,
                now=at,
                **kw,
            )

    async def round(self, day: date, at: datetime, answers: dict[str, dict] | None = None):
        async with self.db.sessions.begin() as session:
            workspace = await people.ensure_workspace(session, team_id="T0LOCAL")
            cadence = await checkins.get_cadence(session, workspace_id=workspace.id, channel_id="C0GENERAL")
            roster = [await self.person(session, u) for u in ("U0ALEX", "U0PRIYA", "U0LOCAL")]
            opened = await checkins.open_round(session, cadence=cadence, roster=roster, occurs_on=day, now=at)
            round_ = await checkins.load_round(session, workspace_id=workspace.id, round_id=opened.id)
            for user, answer in (answers or {}).items():
                await checkins.record_answer(
                    session,
                    round_=round_,
                    person=await self.person(session, user),
                    answers=answer.get("answers", ["ok"]),
                    blocker=answer.get("blocker"),
                    confidence=None,
                    outcomes=[],
                    now=at + timedelta(hours=1),
                )
            return round_.id

    async def digest(self, round_id: int, now: datetime):
        async with self.db.sessions() as session:
            workspace = await people.ensure_workspace(session, team_id="T0LOCAL")
            round_ = await checkins.load_round(session, workspace_id=workspace.id, round_id=round_id)
            return await build_digest(session, round_=round_, now=now)


async def world(db) -> World:
    await set_up(db, MovableClock(MONDAY - timedelta(days=20)), members=("U0ALEX", "U0PRIYA", "U0LOCAL"))
    return World(db)


async def test_the_digest_says_who_answered_what_moved_what_is_in_the_way_and_what_went_quiet(db) -> None:
    w = await world(db)
    last_week = MONDAY - timedelta(weeks=1)
    moving = await w.outcome("Faster onboarding", "U0ALEX", at=last_week - timedelta(days=30))
    quiet = await w.outcome("Partner program", "U0PRIYA", at=last_week - timedelta(days=30))
    channel_one = await w.outcome("Support backlog", "U0SAM", channel="C0GENERAL", at=last_week - timedelta(days=30))
    elsewhere = await w.outcome("Someone else's", "U0SAM", channel="C0OTHER", at=last_week - timedelta(days=30))
    finished = await w.outcome("Docs refresh", "U0PRIYA", at=last_week - timedelta(days=30))
    await w.log(quiet, "U0PRIYA", last_week - timedelta(days=3), note="kick-off")  # before last round: quiet since
    await w.log(channel_one, "U0SAM", last_week - timedelta(days=3), note="triaged")
    await w.log(elsewhere, "U0SAM", last_week - timedelta(days=3), note="x")
    await w.log(moving, "U0ALEX", last_week - timedelta(days=2), entries=(Entry("22%"),))  # before: the start
    previous = await w.round(last_week.date(), last_week)
    await w.log(moving, "U0ALEX", MONDAY - timedelta(days=3), entries=(Entry("25%"),), status=OutcomeStatus.AT_RISK)
    await w.log(moving, "U0ALEX", MONDAY - timedelta(days=1), entries=(Entry("27%"),), blocker="legal review")
    await w.log(channel_one, "U0SAM", MONDAY - timedelta(days=2), note="half done")
    await w.log(finished, "U0PRIYA", MONDAY - timedelta(days=2), status=OutcomeStatus.DONE)
    this = await w.round(
        MONDAY.date(), MONDAY, {"U0ALEX": {"blocker": "no test account"}, "U0PRIYA": {"answers": ["fine"]}}
    )

    digest = await w.digest(this, MONDAY + timedelta(hours=6))

    assert [i.person.display_name for i in digest.answered] == ["Alex", "Priya"]
    assert [i.person.display_name for i in digest.missing] == ["Dana"]
    assert digest.since == (await w.digest(previous, MONDAY)).round.opened_at
    assert digest.statuses == {OutcomeStatus.ON_TRACK: 2, OutcomeStatus.AT_RISK: 1, OutcomeStatus.DONE: 1}
    changes = {c.outcome.ref: c for c in digest.changes}
    assert set(changes) == {moving, finished}
    assert (changes[moving].status_before, changes[moving].status_after) == (
        OutcomeStatus.ON_TRACK,
        OutcomeStatus.AT_RISK,
    )
    [move] = changes[moving].moves
    assert (move.metric.name, move.before, move.after) == ("Activation", 22.0, 27.0)
    assert [(b.text, b.raised_by.display_name, b.outcome.ref if b.outcome else None) for b in digest.blockers] == [
        ("no test account", "Alex", None),
        ("legal review", "Alex", moving),
    ]
    assert [o.ref for o in digest.stale] == [quiet]

    text = all_text(digest_message(digest)["blocks"])
    assert "✅ Answered (2 of 3): Alex, Priya" in text and "⏳ Not yet: Dana" in text
    assert "*Outcomes:* 🟢 2 on track · 🟡 1 at risk · ✅ 1 done" in text
    assert f"• {moving} Faster onboarding: 🟢 → 🟡 At risk; Activation 22% → 27%" in text
    assert "• no test account (Alex)" in text and f"• legal review (Alex, on {moving})" in text
    assert f"*No update for two rounds*\n• {quiet} Partner program (Priya)" in text
    assert "Someone else's" not in text


async def test_the_first_round_looks_back_one_period(db) -> None:
    w = await world(db)
    old = await w.outcome("Old and quiet", "U0ALEX", at=MONDAY - timedelta(days=40))
    new = await w.outcome("Brand new", "U0ALEX", at=MONDAY - timedelta(days=2))
    this = await w.round(MONDAY.date(), MONDAY)

    digest = await w.digest(this, MONDAY + timedelta(hours=6))

    assert digest.since == MONDAY - timedelta(weeks=1)
    assert [o.ref for o in digest.stale] == [old]
    assert new not in [o.ref for o in digest.stale]
    assert [i.person.display_name for i in digest.missing] == ["Alex", "Priya", "Dana"]
    assert "Answered (0 of 3): nobody yet" in all_text(digest_message(digest)["blocks"])


async def test_long_lists_are_cut_short(db) -> None:
    w = await world(db)
    for n in range(LIST_LIMIT + 3):
        await w.outcome(f"Quiet thing {n}", "U0PRIYA", at=MONDAY - timedelta(days=40))
    this = await w.round(MONDAY.date(), MONDAY)

    digest = await w.digest(this, MONDAY + timedelta(hours=6))

    assert len(digest.stale) == LIST_LIMIT and digest.more == {"stale": 3}
    message = digest_message(digest)
    assert "…and 3 more" in all_text(message["blocks"])
    assert len(all_text(message["blocks"])) < 3000


async def test_nobody_away_is_counted_missing(db) -> None:
    w = await world(db)
    async with db.sessions.begin() as session:
        priya = await w.person(session, "U0PRIYA")
        priya.away_until = MONDAY.date()
    this = await w.round(MONDAY.date(), MONDAY, {"U0ALEX": {}})

    digest = await w.digest(this, MONDAY + timedelta(hours=6))

    assert [i.person.display_name for i in digest.away] == ["Priya"]
    assert [i.person.display_name for i in digest.missing] == ["Dana"]
    text = all_text(digest_message(digest)["blocks"])
    assert "Answered (1 of 2): Alex" in text and "🌴 Away: Priya" in text


async def test_a_busy_week_is_cut_short_with_counts_of_what_was_left_out(db) -> None:
    w = await world(db)
    last_week = MONDAY - timedelta(weeks=1)
    refs = [await w.outcome(f"Busy thing {n}", "U0ALEX", at=last_week - timedelta(days=30)) for n in range(10)]
    await w.round(last_week.date(), last_week)
    for n, ref in enumerate(refs):
        await w.log(ref, "U0ALEX", MONDAY - timedelta(days=2, minutes=n), entries=(Entry(f"{30 + n}%"),))
        await w.log(ref, "U0ALEX", MONDAY - timedelta(days=1, minutes=n), blocker=f"stuck on {n}")
    this = await w.round(MONDAY.date(), MONDAY, {"U0PRIYA": {"blocker": "no laptop"}})

    digest = await w.digest(this, MONDAY + timedelta(hours=6))

    assert [c.outcome.ref for c in digest.changes] == refs[:LIST_LIMIT]  # by number
    assert [(m.before, m.after) for m in digest.changes[0].moves] == [(20.0, 30.0)]
    # The answer's blocker first, then the logged ones oldest first: the last outcome's came first.
    assert [b.text for b in digest.blockers] == ["no laptop", *(f"stuck on {n}" for n in range(9, 2, -1))]
    assert digest.more == {"changes": 2, "blockers": 3}
    text = all_text(digest_message(digest)["blocks"])
    assert "…and 2 more" in text and "…and 3 more" in text
