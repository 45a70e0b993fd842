"""What a round's digest says, as plain data: who answered and who did not, the team's outcomes by status with
what changed since the last round, blockers with whose they are, outcomes with no update for two rounds, and
the channel's overdue action items.

The team's outcomes are the open ones owned by the people invited, and those defined in the round's channel
(plus any of them closed since the last round, so "done" shows up once).

A round may ask hundreds of people with thousands of outcomes, and the digest runs on the scheduler's event loop:
the database counts, compares and picks (services.checkins.digest_sql), and only what the message shows is loaded
as objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from models import Action, Invite, Metric, Outcome, OutcomeStatus, Person, Round
from services import actions
from services.checkins import digest_sql
from services.checkins.digest_sql import Team
from services.checkins.rounds import missing, previous_round

LIST_LIMIT = 8  # per section: the digest is read in a minute
OVERDUE_LIMIT = 5  # a nudge to the team, not the list itself (`/action list overdue` has that)


@dataclass(frozen=True)
class MetricMove:
    metric: Metric
    before: float
    after: float


@dataclass
class Change:
    """How an outcome moved since the last round."""

    outcome: Outcome
    status_before: OutcomeStatus | None = None  # set when the status changed
    status_after: OutcomeStatus | None = None
    moves: list[MetricMove] = field(default_factory=list)


@dataclass(frozen=True)
class Blocker:
    text: str
    raised_by: Person
    outcome: Outcome | None = None  # when it was logged on an outcome


@dataclass
class Digest:
    round: Round
    answered: list[Invite]  # in the order they answered
    missing: list[Invite]
    away: list[Invite]
    statuses: dict[OutcomeStatus, int]
    changes: list[Change]
    blockers: list[Blocker]
    stale: list[Outcome]
    since: datetime  # "since the last round" starts here
    more: dict[str, int] = field(default_factory=dict)  # section -> items left out to keep it short
    overdue: list[Action] = field(default_factory=list)  # the channel's open action items past their date
    today: date | None = None  # the day the digest is read, in the check-in's zone (how late, in days)


def _short(items: list, name: str, more: dict[str, int], total: int | None = None) -> list:
    """The first LIST_LIMIT of `total` items (of `items` when not given), and how many were left out."""
    total = len(items) if total is None else total
    if total > LIST_LIMIT:
        more[name] = total - LIST_LIMIT
    return items[:LIST_LIMIT]


async def build_digest(session: AsyncSession, *, round_: Round, now: datetime) -> Digest:
    """`round_` comes with its invites, their people and its cadence loaded (services.checkins.rounds.load_round)."""
    workspace_id = round_.workspace_id
    period = timedelta(weeks=round_.cadence.interval_weeks)
    previous = await previous_round(session, round_=round_)
    since = previous.opened_at if previous else round_.opened_at - period
    # "No update for two rounds": nothing since the previous round began (or a period before this one).
    stale_since = since

    invites = list(round_.invites)
    answered = sorted((i for i in invites if i.answered), key=lambda i: (i.answered_at, i.id))
    missing_ = missing(round_)
    away = [i for i in invites if i.away and not i.answered]

    team = Team(round_, since=since, now=now)
    more: dict[str, int] = {}
    statuses = await digest_sql.statuses(session, team)
    changes, changed = await _changes(session, team)

    blockers = [Blocker(i.blocker, i.person) for i in answered if i.blocker]
    shown, logged = await digest_sql.blockers(session, team, limit=LIST_LIMIT)
    blockers += [Blocker(text, author, outcome) for text, author, outcome in shown]
    blockers = _short(blockers, "blockers", more, total=len(blockers) - len(shown) + logged)

    stale, quiet = await digest_sql.stale(session, team, before=stale_since, limit=LIST_LIMIT)
    today = now.astimezone(ZoneInfo(round_.cadence.timezone)).date()
    overdue, late = await actions.overdue_in_channel(
        session, workspace_id=workspace_id, channel_id=round_.channel_id, today=today, limit=OVERDUE_LIMIT
    )
    if late > len(overdue):
        more["overdue"] = late - len(overdue)
    return Digest(
        round=round_,
        answered=answered,
        missing=missing_,
        away=away,
        statuses=statuses,
        changes=_short(changes, "changes", more, total=changed),
        blockers=blockers,
        stale=_short(stale, "stale", more, total=quiet),
        since=since,
        more=more,
        overdue=overdue,
        today=today,
    )


async def _changes(session: AsyncSession, team: Team) -> tuple[list[Change], int]:
    """The first LIST_LIMIT outcomes (by number) whose status or metrics moved in the period, and how many moved.

    A status that moved and moved back is no news; a metric moved when its latest reading of the period differs
    from where it stood before (its last earlier reading, else its baseline)."""
    numbers: dict[int, int] = {}  # outcome id -> number, of every outcome that changed
    status: dict[int, tuple[OutcomeStatus, OutcomeStatus]] = {}
    for outcome_id, number, before, after in await digest_sql.status_changes(session, team):
        numbers[outcome_id] = number
        status[outcome_id] = (status[outcome_id][0] if outcome_id in status else before, after)
    status = {k: (before, after) for k, (before, after) in status.items() if before != after}
    moves: dict[int, list[tuple[int, float, float]]] = {}
    for outcome_id, number, metric_id, before, after in await digest_sql.metric_moves(session, team):
        numbers[outcome_id] = number
        moves.setdefault(outcome_id, []).append((metric_id, before, after))
    changed = sorted((k for k in numbers if k in status or k in moves), key=numbers.__getitem__)
    shown = await digest_sql.outcomes_with_metrics(session, team, changed[:LIST_LIMIT])
    found = []
    for outcome in shown:
        metrics = {m.id: m for m in outcome.metrics}
        before, after = status.get(outcome.id, (None, None))
        moved = [MetricMove(metrics[m], start, end) for m, start, end in moves.get(outcome.id, [])]
        found.append(Change(outcome, before, after, moved))
    return found, len(changed)
