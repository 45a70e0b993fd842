"""Recording a meeting's outcome, once, after its start: what became of each agenda item (decided: a decided D-n;
action items: A-n through the action-item service; done; carried forward to the series' next meeting; dropped;
left empty: unfinished, it opens the next meeting too), which items ran over their time-box, and whether the
desired outcome was reached.

Everything typed is checked before anything is stored, and a problem is reported on its field; the writes then
happen in one savepoint, so a refusal found late (an outcome ref that does not exist) stores nothing either.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Action,
    AgendaItem,
    Decision,
    ItemOutcome,
    Meeting,
    MeetingEvent,
    MeetingEventKind,
    MeetingStatus,
    OutcomeReached,
    Person,
    SourceKind,
    Workspace,
)
from services import actions, decisions, people
from services.actions.rules import check_due
from services.decisions import Field as DecisionField
from services.errors import Invalid, NotNow
from services.meetings.changes import record
from services.meetings.follow_up import follow_up_async
from services.meetings.going_async import MadeAsync
from services.meetings.reading import load, people_named
from services.meetings.rules import can_record, has_started, require_editor
from services.meetings.series import UNFINISHED, Carried, carry_forward

DECISION_EXAMPLE = "Tiered pricing — simplest to explain, and Globex agreed"
ACTION_EXAMPLE = "@alex send the pricing deck by friday"
MAX_ACTION_LINES = 10
# Tried in turn: a dash first, so a `|` inside the option or a link (`<https://x|y>`) does not split it.
_SPLITS = (re.compile(r"\s*[—–]\s*"), re.compile(r"\s+-\s+"), re.compile(r"\s*\|(?![^<]*>)\s*"))
# Field names of the form; an item's fields end in `:<its position>`.
OUTCOME, DECISION, DECIDER, ACTIONS, REACHED = "outcome", "decision", "decider", "actions", "reached"


def item_field(name: str, position: int) -> str:
    return f"{name}:{position}"


@dataclass(frozen=True)
class ItemForm:
    """What the form says of one agenda item (by its position)."""

    position: int
    outcome: str | None = None  # an ItemOutcome value; None: not finished, it opens the next meeting
    decision: str = ""  # "Option — why"
    decider: Person | None = None  # who decided; the item's owner when nobody is chosen
    actions: str = ""  # one action item per line, in the /action grammar


@dataclass(frozen=True)
class OutcomeForm:
    items: Sequence[ItemForm]
    over_time: Collection[int] = ()  # positions of the items that ran over their time-box
    reached: str | None = None  # an OutcomeReached value


@dataclass
class Recorded:
    """What recording made: the meeting (held), its decisions and action items by item, and where the carried
    and unfinished items went."""

    meeting: Meeting
    recorder: Person
    decisions: list[tuple[AgendaItem, Decision]] = field(default_factory=list)
    actions: list[tuple[AgendaItem, Action]] = field(default_factory=list)
    carried: Carried | None = None
    follow_up: MadeAsync | None = None  # a one-off meeting's carried topics, made a written thread


class AlreadyRecorded(NotNow):
    """The outcome is recorded already; by whom and when, for the person trying again."""

    def __init__(self, meeting: Meeting, by: Person | None, at: datetime) -> None:
        name = (by.display_name or by.slack_user_id) if by else "someone"
        super().__init__(f"{meeting.ref}'s outcome is recorded already, by {name}.")
        self.meeting, self.by, self.at = meeting, by, at


@dataclass(frozen=True)
class _ActionLine:
    owner: Person
    line: actions.OneLine


@dataclass
class _Checked:
    outcomes: dict[int, ItemOutcome | None] = field(default_factory=dict)
    decided: dict[int, tuple[str, str, Person]] = field(default_factory=dict)
    lines: dict[int, list[_ActionLine]] = field(default_factory=dict)


async def recorded_by(session: AsyncSession, meeting: Meeting) -> Person | None:
    query = (
        select(MeetingEvent.actor_id)
        .where(
            MeetingEvent.workspace_id == meeting.workspace_id,
            MeetingEvent.meeting_id == meeting.id,
            MeetingEvent.kind == MeetingEventKind.RECORDED,
        )
        .order_by(MeetingEvent.id.desc())
        .limit(1)
    )
    actor_id = await session.scalar(query)
    return await session.get(Person, actor_id) if actor_id else None


async def require_recordable(session: AsyncSession, meeting: Meeting, person: Person, now: datetime) -> None:
    """Only once, after the start, by the facilitator, the organiser or an admin."""
    if not can_record(person, meeting):
        require_editor(person, meeting, "record the outcome of")
    if meeting.outcome_recorded_at is not None:
        raise AlreadyRecorded(meeting, await recorded_by(session, meeting), meeting.outcome_recorded_at)
    if meeting.status is not MeetingStatus.SCHEDULED:
        raise NotNow(f"{meeting.ref} is {meeting.status.value}, so it has no outcome to record.")
    if not has_started(meeting, now):
        raise NotNow(f"{meeting.ref} hasn't started yet; record its outcome once it has taken place.")


def split_decision(text: str) -> tuple[str, str]:
    """`Option — why` (or `Option | why`, `Option - why`): the option and the rationale."""
    text = (text or "").strip()
    for separator in _SPLITS:
        parts = separator.split(text, maxsplit=1)
        if len(parts) == 2:
            return parts[0].strip(), parts[1].strip()
    return text, ""


def _check_decision(form: ItemForm, item: AgendaItem, errors: dict[str, str]) -> tuple[str, str, Person] | None:
    choice, why = split_decision(form.decision)
    decider = form.decider or item.owner
    found = decisions.check_decided(choice, why, decider)
    where = item_field(DECISION, item.position)
    if DecisionField.CHOICE in found:
        errors[where] = f"Write what was decided and why, as “Option — why”, e.g. “{DECISION_EXAMPLE}”."
    elif DecisionField.RATIONALE in found:
        errors[where] = f"Add why after a dash, e.g. “{DECISION_EXAMPLE}”. {found[DecisionField.RATIONALE]}"
    if DecisionField.DECIDER in found:
        errors[item_field(DECIDER, item.position)] = found[DecisionField.DECIDER]
    return None if found else (choice, why, decider)


async def _owner(session: AsyncSession, workspace: Workspace, line: actions.OneLine, recorder: Person,
                 invited: list[Person]) -> tuple[Person | None, str | None]:  # fmt: skip
    if line.owner_id:
        return await people.ensure_person(session, workspace=workspace, slack_user_id=line.owner_id), None
    if line.owner_name == "me":
        return recorder, None
    found = await people_named(session, workspace_id=workspace.id, name=line.owner_name or "", first=invited)
    if len(found) == 1:
        return found[0], None
    if not found:
        return None, f"I don't know anyone called @{line.owner_name} here; write the name as Slack shows it."
    return None, f"@{line.owner_name} could be more than one person; write the full name without spaces."


async def _check_line(session: AsyncSession, workspace: Workspace, text: str, *, recorder: Person,
                      invited: list[Person], today: date) -> tuple[_ActionLine | None, str | None]:  # fmt: skip
    try:
        line = actions.parse_line(text, today)
    except Invalid as exc:
        return None, " ".join(exc.errors.values())
    owner, problem = await _owner(session, workspace, line, recorder, invited)
    errors: dict[actions.Field, str] = {}
    actions.check_what(line.what, errors)
    check_due(line.due, today, errors)
    if owner is not None and (refused := people.unassignable(owner)):
        problem = refused
    problems = [p for p in (problem, *errors.values()) if p]
    if problems or owner is None:
        return None, " ".join(problems)
    return _ActionLine(owner, line), None


async def _check_actions(session: AsyncSession, workspace: Workspace, form: ItemForm, *, recorder: Person,
                         invited: list[Person], today: date, errors: dict[str, str]) -> list[_ActionLine]:  # fmt: skip
    where = item_field(ACTIONS, form.position)
    texts = [" ".join(t.split()) for t in (form.actions or "").splitlines() if t.strip()]
    if len(texts) > MAX_ACTION_LINES:
        errors[where] = f"Keep it to {MAX_ACTION_LINES} action items per topic (this has {len(texts)})."
        return []
    found, problems = [], []
    for number, text in enumerate(texts, start=1):
        checked, problem = await _check_line(session, workspace, text, recorder=recorder, invited=invited,
                                             today=today)  # fmt: skip
        if checked:
            found.append(checked)
        if problem:
            problems.append(f"Line {number} (“{text[:40]}”): {problem}")
    if problems:
        errors[where] = " ".join(problems[:2]) + (f" (and {len(problems) - 2} more)" if len(problems) > 2 else "")
    return found


def _check_outcome(form: ItemForm, errors: dict[str, str]) -> ItemOutcome | None:
    if form.outcome in (None, ""):
        return None
    if form.outcome not in set(ItemOutcome):
        errors[item_field(OUTCOME, form.position)] = "Choose what became of it."
        return None
    chosen = ItemOutcome(form.outcome)
    if form.decision.strip() and chosen is not ItemOutcome.DECIDED:
        errors[item_field(DECISION, form.position)] = "Choose “decided” for this item, or clear the decision."
    if form.actions.strip() and chosen not in (ItemOutcome.ACTIONS, ItemOutcome.DECIDED):
        errors[item_field(ACTIONS, form.position)] = "Choose “action items” for this item, or clear these lines."
    elif chosen is ItemOutcome.ACTIONS and not form.actions.strip():
        errors[item_field(ACTIONS, form.position)] = f"List them, one per line, e.g. “{ACTION_EXAMPLE}”."
    return chosen


async def check(session: AsyncSession, *, workspace: Workspace, meeting: Meeting, recorder: Person,
                form: OutcomeForm, now: datetime) -> _Checked:  # fmt: skip
    """Every field, every line; raises Invalid with all problems by field, storing nothing."""
    errors: dict[str, str] = {}
    if form.reached not in set(OutcomeReached):
        errors[REACHED] = "Say whether the desired outcome was reached: yes, partly or no."
    invited = [meeting.organiser, meeting.facilitator, *(a.person for a in meeting.attendees)]
    today = people.today_for(recorder, workspace, now)
    by_position = {f.position: f for f in form.items}
    checked = _Checked()
    for item in meeting.items:
        item_form = by_position.get(item.position, ItemForm(item.position))
        outcome = checked.outcomes[item.position] = _check_outcome(item_form, errors)
        if outcome is ItemOutcome.DECIDED and (decided := _check_decision(item_form, item, errors)):
            checked.decided[item.position] = decided
        checked.lines[item.position] = await _check_actions(session, workspace, item_form, recorder=recorder,
                                                            invited=invited, today=today, errors=errors)  # fmt: skip
    if errors:
        raise Invalid(errors)
    return checked


async def _make_actions(session: AsyncSession, workspace: Workspace, meeting: Meeting, item: AgendaItem,
                        lines: list[_ActionLine], recorder: Person, now: datetime) -> list[Action]:  # fmt: skip
    made = []
    source = actions.Source(kind=SourceKind.MEETING, ref=meeting.ref)
    for found in lines:
        try:
            made.append(
                await actions.create(
                    session,
                    workspace=workspace,
                    creator=recorder,
                    owner=found.owner,
                    what=found.line.what,
                    due_on=found.line.due,
                    now=now,
                    outcome_ref=found.line.outcome,
                    source=source,
                    channel_id=meeting.channel_id,
                )
            )
        except Invalid as exc:
            text = found.line.what[:40]
            raise Invalid({item_field(ACTIONS, item.position): f"“{text}”: {' '.join(exc.errors.values())}"}) from None
    return made


async def _store(session: AsyncSession, workspace: Workspace, meeting: Meeting, recorder: Person, form: OutcomeForm,
                 checked: _Checked, now: datetime) -> Recorded:  # fmt: skip
    done = Recorded(meeting, recorder)
    for item in meeting.items:
        item.outcome = checked.outcomes[item.position]
        item.over_time = item.position in set(form.over_time)
        if item.position in checked.decided:
            choice, why, decider = checked.decided[item.position]
            decision = await decisions.record_decided(
                session,
                workspace=workspace,
                question=item.topic,
                choice=choice,
                rationale=why,
                decider=decider,
                recorded_by=recorder,
                channel_id=meeting.channel_id,
                source=meeting.ref,
                now=now,
            )
            item.decision_ref, item.note = decision.ref, decision.rationale
            done.decisions.append((item, decision))
        made = await _make_actions(session, workspace, meeting, item, checked.lines[item.position], recorder, now)
        done.actions += [(item, action) for action in made]
    meeting.outcome_reached = OutcomeReached(form.reached)
    meeting.outcome_recorded_at = now
    meeting.status = MeetingStatus.HELD
    await session.flush()
    left = [item for item in meeting.items if item.outcome in UNFINISHED]
    if left and meeting.series_id is None:
        done.follow_up = await follow_up_async(session, meeting=meeting, items=left, actor=recorder, now=now)
        done.carried = Carried(done.follow_up.meeting, moved=left)
    else:
        done.carried = await carry_forward(session, meeting=meeting, items=left, now=now)
    record(session, meeting, MeetingEventKind.RECORDED, now, recorder, reached=meeting.outcome_reached.value,
           decisions=[d.ref for _, d in done.decisions], actions=[a.ref for _, a in done.actions],
           carried_to=done.carried.into.ref if done.carried.into else None)  # fmt: skip
    await session.flush()
    return done


async def record_outcome(session: AsyncSession, *, workspace: Workspace, meeting: Meeting, recorder: Person,
                         form: OutcomeForm, now: datetime) -> Recorded:  # fmt: skip
    """`meeting` is found locked (for_update) in the recorder's workspace. Raises AlreadyRecorded, Forbidden,
    NotNow or Invalid (by field), storing nothing."""
    await require_recordable(session, meeting, recorder, now)
    checked = await check(session, workspace=workspace, meeting=meeting, recorder=recorder, form=form, now=now)
    async with session.begin_nested():
        done = await _store(session, workspace, meeting, recorder, form, checked, now)
    done.meeting = await load(session, meeting.id)
    return done
