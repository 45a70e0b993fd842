"""The Record outcome form: per agenda item what became of it, the decision as "Option — why" and who decided, its
action items one per line; which items ran over their time-box; whether the desired outcome was reached.

Four inputs per item keep the largest agenda (MAX_ITEMS, 20) at 85 blocks, inside a modal's 100. Block and action
ids are the service's field names under a prefix, so its errors land beside their fields."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    CheckboxesElement,
    ContextBlock,
    MarkdownTextObject,
    Option,
    PlainTextObject,
    RadioButtonsElement,
    SectionBlock,
    StaticSelectElement,
    UserSelectElement,
)

from handlers.kit.forms import labelled, modal, text_input
from handlers.kit.text import clip, esc
from handlers.meetings.blocks.ids import MeetingIds
from models import ItemOutcome, Meeting, OutcomeReached
from services.meetings.recording import (
    ACTION_EXAMPLE,
    ACTIONS,
    DECIDER,
    DECISION,
    DECISION_EXAMPLE,
    OUTCOME,
    REACHED,
    item_field,
)
from services.meetings.rules import MAX_ITEMS

PREFIX = "meeting_record_"
OVER_TIME = "over"  # + `:<n>`: the time-box checkboxes, ten items a group (Slack's most per group)
PER_GROUP = 10
OUTCOME_LABELS = {
    ItemOutcome.DECIDED: "Decided",
    ItemOutcome.ACTIONS: "Action items",
    ItemOutcome.DONE: "Done, nothing to follow",
    ItemOutcome.CARRIED: "Carried forward",
    ItemOutcome.DROPPED: "Dropped",
}
REACHED_LABELS = {OutcomeReached.YES: "Yes", OutcomeReached.PARTLY: "Partly", OutcomeReached.NO: "No"}
HOW = (
    "For each topic, choose what became of it; leave it empty if you didn't get to it, and it opens the next "
    f"meeting's agenda. Write a decision as “{DECISION_EXAMPLE}” (option, a dash, why). Action items go one per "
    f"line, owner first: “{ACTION_EXAMPLE}” (also by tomorrow, by 2026-12-04, in 3 days)."
)


def block(name: str) -> str:
    """The block (and action) id of a service field, e.g. `decision:2`."""
    return PREFIX + name


def field_blocks(meeting: Meeting) -> dict[str, str]:
    fields = (OUTCOME, DECISION, DECIDER, ACTIONS)
    names = [REACHED] + [item_field(name, item.position) for item in meeting.items for name in fields]
    return {name: block(name) for name in names}


def _owner_name(meeting: Meeting, position: int) -> str:
    item = next(i for i in meeting.items if i.position == position)
    return item.owner.display_name or item.owner.slack_user_id


def _item_blocks(meeting: Meeting, position: int) -> list:
    item = next(i for i in meeting.items if i.position == position)
    label = clip(f"{position}. {item.topic} ({_owner_name(meeting, position)}, {item.minutes} min)", 150)
    options = [Option(value=o.value, text=text) for o, text in OUTCOME_LABELS.items()]
    outcome, decision, decider, actions = (
        block(item_field(n, position)) for n in (OUTCOME, DECISION, DECIDER, ACTIONS)
    )
    chooser = StaticSelectElement(action_id=outcome, options=options, placeholder="What became of it?")
    who = UserSelectElement(action_id=decider, initial_user=item.owner.slack_user_id)
    return [
        labelled(outcome, label, chooser, optional=True),
        text_input(decision, "Decision: option — why", optional=True, max_length=3000, placeholder=DECISION_EXAMPLE),
        labelled(decider, "Who decided", who, optional=True),
        text_input(actions, "Action items", optional=True, multiline=True, max_length=3000, placeholder=ACTION_EXAMPLE),
    ]


def _over_time(meeting: Meeting) -> list:
    items = meeting.items[:MAX_ITEMS]
    groups = [items[i : i + PER_GROUP] for i in range(0, len(items), PER_GROUP)]
    found = []
    for n, group in enumerate(groups):
        options = [Option(value=str(i.position), text=clip(f"{i.position}. {i.topic}", 75)) for i in group]
        name = block(f"{OVER_TIME}:{n}")
        label = "Ran over its time-box" if n == 0 else "Ran over its time-box (continued)"
        found.append(labelled(name, label, CheckboxesElement(action_id=name, options=options), optional=True))
    return found


def record_view(meeting: Meeting, *, metadata: str) -> dict:
    reached = [Option(value=r.value, text=label) for r, label in REACHED_LABELS.items()]
    blocks: list = [
        SectionBlock(text=MarkdownTextObject(text=clip(f"🎯 *Desired outcome*\n{esc(meeting.desired_outcome)}", 3000))),
        ContextBlock(elements=[PlainTextObject(text=HOW)]),
    ]
    for item in meeting.items[:MAX_ITEMS]:
        blocks += _item_blocks(meeting, item.position)
    blocks += _over_time(meeting)
    blocks.append(labelled(block(REACHED), "Was the desired outcome reached?",
                           RadioButtonsElement(action_id=block(REACHED), options=reached)))  # fmt: skip
    return modal(MeetingIds.RECORD_VIEW, clip(f"Record {meeting.ref}", 24), blocks, submit="Record", metadata=metadata)


def over_time_positions(values: dict) -> set[int]:
    picked: set[int] = set()
    for name, state in values.items():
        if name.startswith(block(OVER_TIME + ":")):
            for option in (state.get(name) or {}).get("selected_options") or []:
                if str(option.get("value", "")).isdigit():
                    picked.add(int(option["value"]))
    return picked
