"""CSV exports of one workspace (outcomes, metric readings, decisions) for spreadsheets and BI tools, streamed: a
batch of rows at a time, each batch read in a short session of its own (keyset pages, so a row inserted meanwhile
neither shifts nor repeats another), so neither the file nor a database connection is held while a slow client
reads. Text that people typed is guarded against formula injection: a cell a spreadsheet would evaluate (it
starts with = + - @, a tab or a carriage return) is prefixed with a quote, so it opens as the text that was
typed."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import AbstractAsyncContextManager
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from models import Decision, MetricReading, Outcome, Person
from models.decision import DecisionRole
from services.web import reads

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

OUTCOME_COLUMNS = ("ref", "title", "owner_id", "owner_name", "status", "due_date", "parent", "channel_id",
                   "created_at", "last_progress_at", "closed_at", "lagging_metric", "lagging_latest", "lagging_target",
                   "unit", "definition_of_done")  # fmt: skip
READING_COLUMNS = ("outcome_ref", "outcome_title", "metric", "metric_kind", "unit", "value", "recorded_at",
                   "baseline", "target", "direction")  # fmt: skip
DECISION_COLUMNS = ("ref", "question", "status", "decider_id", "decider_name", "deadline", "chosen_option",
                    "rationale", "decided_at", "outcome_ref", "responsible", "consulted", "informed",
                    "created_at")  # fmt: skip


def cell(value: object) -> str | float | int:
    """One CSV cell: numbers as numbers, times in ISO 8601 (UTC), text guarded against formulas."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(rows: Iterable[Iterable[object]]) -> str:
    """Lines of CSV, every value through `cell`."""
    out = io.StringIO()
    csv.writer(out).writerows([cell(v) for v in row] for row in rows)
    return out.getvalue()


Sessions = Callable[[], AbstractAsyncContextManager[AsyncSession]]
Read = Callable[..., Awaitable[reads.Page]]


async def stream(sessions: Sessions, *, what: str, workspace_id: int, batch: int = reads.MAX_LIMIT
                 ) -> AsyncIterator[str]:  # fmt: skip
    """The export `what` (outcomes, readings, decisions) as CSV text, header first, then one chunk per batch."""
    columns, read, row = KINDS[what]
    yield to_csv([columns])
    after = None
    while True:
        async with sessions() as session:
            page = await read(session, workspace_id=workspace_id, after=after, limit=batch)
            chunk = to_csv(map(row, page.items))  # the rows read relationships: built while the session is open
        yield chunk
        if page.last_id is None:
            return
        after = page.last_id


def _name(person: Person | None) -> str:
    return (person.display_name or person.slack_user_id) if person else ""


def _outcome_row(o: Outcome) -> list[object]:
    parent = o.parent_outcome.ref if o.parent_outcome else (o.parent_priority.ref if o.parent_priority else None)
    lag = o.lagging
    return [o.ref, o.title, o.owner.slack_user_id, _name(o.owner), o.status.value, o.due_date, parent, o.channel_id,
            o.created_at, o.last_progress_at, o.closed_at, lag and lag.name, lag and lag.current_value,
            lag and lag.target, lag and lag.unit, o.definition_of_done]  # fmt: skip


def _reading_row(r: MetricReading) -> list[object]:
    m = r.metric
    return [m.outcome.ref, m.outcome.title, m.name, m.kind.value, m.unit, r.value, r.recorded_at, m.baseline,
            m.target, m.direction.value]  # fmt: skip


def _decision_row(d: Decision) -> list[object]:
    def ids(role: DecisionRole) -> str:
        return " ".join(p.slack_user_id for p in d.people_in(role))

    return [d.ref, d.question, d.status.value, d.decider.slack_user_id, _name(d.decider), d.deadline,
            d.chosen_option, d.rationale, d.decided_at, d.outcome and d.outcome.ref, ids(DecisionRole.RESPONSIBLE),
            ids(DecisionRole.CONSULTED), ids(DecisionRole.INFORMED), d.created_at]  # fmt: skip


async def _decisions(session: AsyncSession, *, workspace_id: int, after: int | None, limit: int) -> reads.Page:
    return (await reads.decisions(session, workspace_id=workspace_id, after=after, limit=limit)).page


KINDS: dict[str, tuple[tuple[str, ...], Read, Callable[..., list[object]]]] = {
    "outcomes": (OUTCOME_COLUMNS, reads.outcomes, _outcome_row),
    "readings": (READING_COLUMNS, reads.readings, _reading_row),
    "decisions": (DECISION_COLUMNS, _decisions, _decision_row),
}
