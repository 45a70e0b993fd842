"""A recorded outcome as people read it: the summary in the meeting's thread (decisions, action items, what was
done, what goes to the next meeting, what was dropped, whether the desired outcome was reached), the direct
message listing someone's new action items, and the answer to whoever recorded it. Pure.

The summary goes to a channel, so people are named, never mentioned: nobody is pinged by it."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import ContextBlock, MarkdownTextObject, SectionBlock

from handlers.kit.text import clip, esc, mention, plural
from handlers.meetings.blocks.words import title, when
from models import Action, AgendaItem, ItemOutcome, Meeting, MeetingStatus, OutcomeReached, Person
from services.meetings.recording import Recorded

SECTION_LIMIT = 2900
UTC_ZONE = ZoneInfo("UTC")  # the fallback of a time in a channel, where readers are in many zones
REACHED_TEXT = {OutcomeReached.YES: "yes ✅", OutcomeReached.PARTLY: "partly 🟡", OutcomeReached.NO: "no 🔴"}


def name(person: Person | None) -> str:
    """A person's name as others read it in a channel; never a mention (that would ping them)."""
    if person is None:
        return "someone"
    return esc(person.display_name or "someone without a name in Slack")


def topic(item: AgendaItem) -> str:
    return esc(clip(item.topic, 150))


def _section(text: str) -> dict:
    return SectionBlock(text=MarkdownTextObject(text=clip(text, SECTION_LIMIT))).to_dict()


def _listed(head: str, lines: list[str]) -> list[dict]:
    return [_section(f"*{head}*\n" + "\n".join(lines))] if lines else []


def action_line(action: Action, *, owner: bool = True) -> str:
    who = f" · {name(action.owner)}" if owner else ""
    return f"• *{action.ref}* {esc(clip(action.what, 200))}{who} · due {action.due_on:%a %-d %b}"


def _decided(done: Recorded) -> list[str]:
    return [
        f"• ⚖️ *{d.ref}* {topic(item)}: *{esc(clip(d.chosen_option or '', 300))}* — "
        f"{esc(clip(d.rationale or '', 600))} (decided by {name(d.decider)})"
        for item, d in done.decisions
    ]


def _next_time(done: Recorded) -> list[dict]:
    carried = done.carried
    if carried is None or not (carried.moved or carried.left_out):
        return []
    why = {ItemOutcome.CARRIED: "carried forward", None: "not reached"}
    if carried.into is None:
        where = "it doesn't repeat" if done.meeting.series_id is None else "no meeting of its series is coming"
        lines = [f"• {topic(i)} ({why.get(i.outcome, 'carried forward')})" for i in carried.left_out]
        return _listed(f"Still open ({where}, so they stay here)", lines)
    into = carried.into
    head = f"Next time: {into.ref}, {when(into.starts_at, UTC_ZONE)}"
    if into.status is MeetingStatus.ASYNC:  # a one-off meeting hands them to a written thread
        head = f"In writing: {into.ref}, input due {when(into.async_deadline or into.starts_at, UTC_ZONE)}"
    lines = [f"• ➡️ {topic(i)} ({why.get(i.outcome, 'carried forward')})" for i in carried.moved]
    lines += [f"• {topic(i)} (left here: {into.ref}'s agenda is full)" for i in carried.left_out]
    if carried.over_minutes:
        lines.append(f"⚠️ {into.ref}'s time-boxes now add up to {carried.over_minutes} min more than its "
                     f"{into.minutes}: trim its agenda, or make it longer.")  # fmt: skip
    return _listed(head, lines)


def summary_blocks(done: Recorded) -> list[dict]:
    meeting = done.meeting
    reached = REACHED_TEXT[meeting.outcome_reached] if meeting.outcome_reached else "not said"
    by_outcome = {o: [i for i in meeting.items if i.outcome is o] for o in ItemOutcome}
    over = [i for i in meeting.items if i.over_time]
    blocks = [
        _section(
            f"📝 *Outcome of {meeting.ref}* {title(meeting)}\n🎯 {esc(clip(meeting.desired_outcome, 500))}\n"
            f"Desired outcome reached: *{reached}*"
        ),
        *_listed("Decided", _decided(done)),
        *_listed("Action items", [action_line(a) for _, a in done.actions]),
        *_listed("Done", [f"• ✅ {topic(i)}" for i in by_outcome[ItemOutcome.DONE]]),
        *_next_time(done),
        *_listed("Dropped", [f"• ✖️ {topic(i)}" for i in by_outcome[ItemOutcome.DROPPED]]),
    ]
    notes = [f"Recorded by {name(done.recorder)}."]
    if over:
        notes.insert(0, f"⏱ Over its time-box: {len(over)} of {plural(len(meeting.items), 'item')} "
                        f"({', '.join(topic(i) for i in over[:5])}{'…' if len(over) > 5 else ''}).")  # fmt: skip
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=clip(" ".join(notes), SECTION_LIMIT))]).to_dict())
    return blocks


def summary_text(done: Recorded) -> str:
    meeting = done.meeting
    reached = meeting.outcome_reached.value if meeting.outcome_reached else "not said"
    return (f"Outcome of {meeting.ref} {title(meeting, 100)}: {plural(len(done.decisions), 'decision')}, "
            f"{plural(len(done.actions), 'action item')}; desired outcome reached: {reached}.")  # fmt: skip


def actions_dm(meeting: Meeting, owner: Person, mine: list[Action], recorder: Person) -> str:
    """Someone's new action items from the meeting (a direct message: the recorder may be mentioned)."""
    head = f"☑️ From *{meeting.ref}* {title(meeting)}, recorded by {mention(recorder.slack_user_id)}: "
    head += "this one is yours." if len(mine) == 1 else f"these {len(mine)} are yours."
    lines = [action_line(a, owner=False) for a in mine]
    return clip(head + "\n" + "\n".join(lines) + "\n`/action list` shows everything on you.", 3000)


def summary_goes(meeting: Meeting) -> str:
    if meeting.thread_channel and meeting.thread_ts:
        return f"the meeting's thread in <#{meeting.thread_channel}>"
    if meeting.channel_id:
        return f"<#{meeting.channel_id}>"
    return f"{name(meeting.facilitator)}, its facilitator, by direct message"


def recorded_text(done: Recorded, told: int, zone: ZoneInfo) -> str:
    """For whoever recorded it (`zone` is theirs): what was made and who hears."""
    meeting = done.meeting
    decided = ", ".join(d.ref for _, d in done.decisions) or "none"
    made = ", ".join(a.ref for _, a in done.actions) or "none"
    parts = [f"*{meeting.ref}* {title(meeting)} is recorded: {plural(len(done.decisions), 'decision')} ({decided}) "
             f"and {plural(len(done.actions), 'action item')} ({made})."]  # fmt: skip
    carried = done.carried
    if carried and carried.into and carried.moved:
        into = carried.into
        if into.status is MeetingStatus.ASYNC:
            goes, due = "goes" if len(carried.moved) == 1 else "go", when(into.async_deadline or into.starts_at, zone)
            parts.append(f"{plural(len(carried.moved), 'item')} {goes} to {into.ref}, a written thread: input is "
                         f"due {due}.")  # fmt: skip
        else:
            opens = "opens" if len(carried.moved) == 1 else "open"
            parts.append(f"{plural(len(carried.moved), 'item')} {opens} {into.ref}'s agenda, "
                         f"{when(into.starts_at, zone)}.")  # fmt: skip
    hear = "hears" if told == 1 else "hear"
    parts.append(f"The summary goes to {summary_goes(meeting)}" + (f"; {plural(told, 'person', 'people')} {hear} of "
                 "their action items." if told else "."))  # fmt: skip
    return " ".join(parts)
