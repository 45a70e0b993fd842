"""Block Kit for escalation paths: the list, and the form with up to five levels."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    CheckboxesElement,
    ContextBlock,
    ConversationMultiSelectElement,
    InputBlock,
    MarkdownTextObject,
    NumberInputElement,
    Option,
    SectionBlock,
    UserMultiSelectElement,
)
from slack_sdk.models.views import View

from handlers.kit.forms import labelled, modal, text_input
from handlers.kit.text import clip, duration, esc, mention
from models import EscalationLevel, EscalationPolicy
from services.decisions.policies import MAX_LEVELS, MAX_NAME, MAX_REPEATS, MAX_WAIT_MINUTES, MIN_ACK_MINUTES


class EscalationIds(StrEnum):
    CREATE_VIEW = "escalation_create"
    EDIT_VIEW = "escalation_edit"
    NAME = "escalation_name"
    ACK_WINDOW = "escalation_ack_window"
    DEFAULT = "escalation_default"
    CHANNELS = "escalation_channels"
    NEW = "escalation_new_button"
    EDIT = "escalation_edit_button"


class LevelPart(StrEnum):
    PEOPLE = "people"
    FLAGS = "flags"
    WAIT = "wait"
    REPEATS = "repeats"


class Flag(StrEnum):
    DECIDER = "decider"
    CHANNEL = "channel"
    DEFAULT = "default"


FLAG_LABELS = {Flag.DECIDER: "The decider", Flag.CHANNEL: "Post in the channel"}
# The service names a level's problems by what is wrong; the form shows each beside its input.
ERROR_PARTS = {"targets": LevelPart.PEOPLE, "wait": LevelPart.WAIT, "repeats": LevelPart.REPEATS}


def level_block(part: LevelPart, number: int) -> str:
    """Block (and action) id of one input of level `number` (1-based)."""
    return f"escalation_level_{number}_{part.value}"


def error_block(key: str) -> str:
    """The block a service error key ("name", "ack_window", "level_2_wait") belongs to."""
    if key == "name":
        return EscalationIds.NAME.value
    if key == "ack_window":
        return EscalationIds.ACK_WINDOW.value
    _, number, part = key.split("_", 2)
    if not number.isdigit() or int(number) > MAX_LEVELS or part not in ERROR_PARTS:
        return EscalationIds.NAME.value
    return level_block(ERROR_PARTS[part], int(number))


def _flag(flag: Flag) -> Option:
    return Option(value=flag.value, text=FLAG_LABELS.get(flag, "Default for the whole workspace"))


def level_summary(level: EscalationLevel, people: Mapping[int, str], *, last: bool) -> str:
    targets = [mention(people[i]) for i in level.person_ids if i in people]
    if level.include_decider:
        targets.append("the decider")
    if level.post_in_channel:
        targets.append("the channel")
    when = "at the deadline" if level.position == 0 else "next"
    text = f"{level.position + 1}. {when}: {', '.join(targets) or 'nobody'}"
    if level.repeats:
        text += f", {level.repeats} more time{'s' if level.repeats != 1 else ''} within {duration(level.wait_minutes)}"
    if not last:
        text += f"; after {duration(level.wait_minutes)} the next level"
    return text


def policy_section(
    policy: EscalationPolicy, people: Mapping[int, str], channels: list[str], *, is_admin: bool
) -> SectionBlock:
    where = []
    if policy.is_default:
        where.append("workspace default")
    if channels:
        where.append("default in " + ", ".join(f"<#{c}>" for c in channels))
    title = f"*{esc(policy.name)}*" + (f" ({'; '.join(where)})" if where else "")
    lines = [title]
    lines += [level_summary(lv, people, last=i == len(policy.levels) - 1) for i, lv in enumerate(policy.levels)]
    lines.append(f"_Acknowledging pauses it for {duration(policy.ack_window_minutes)}._")
    accessory = ButtonElement(text="Edit", action_id=EscalationIds.EDIT, value=str(policy.id)) if is_admin else None
    return SectionBlock(text=MarkdownTextObject(text=clip("\n".join(lines), 3000)), accessory=accessory)


def policy_list_blocks(
    policies: list[EscalationPolicy],
    people: Mapping[int, str],
    channels: Mapping[int, list[str]],
    *,
    is_admin: bool,
) -> list[dict]:
    blocks: list = [
        SectionBlock(
            text=MarkdownTextObject(
                text="*Escalation paths* — who is pinged, level by level, when a decision passes its deadline "
                "undecided. A decision uses its channel's default path unless its form picks another."
            )
        )
    ]
    blocks += [policy_section(p, people, channels.get(p.id, []), is_admin=is_admin) for p in policies[:40]]
    if is_admin:
        blocks.append(ActionsBlock(elements=[ButtonElement(text="New path", action_id=EscalationIds.NEW)]))
    else:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text="Workspace admins define and edit paths.")]))
    return [b.to_dict() for b in blocks]


INTRO = (
    "Level 1 fires at the deadline; each next level after the wait of the one before. "
    "Fill the levels in order; leave the rest empty."
)


def policy_view(
    *,
    metadata: str,
    policy: EscalationPolicy | None = None,
    people: Mapping[int, str] | None = None,
    channels: list[str] | None = None,
) -> dict:
    """The form for a new path, or (given `policy`) to edit one. Empty levels at the end are left out."""
    people = people or {}
    blocks: list = [ContextBlock(elements=[MarkdownTextObject(text=INTRO)]), *_path_inputs(policy, channels)]
    levels = list(policy.levels) if policy else []
    for number in range(1, MAX_LEVELS + 1):
        level = levels[number - 1] if number <= len(levels) else None
        blocks += _level_inputs(number, level, people)
    callback = EscalationIds.EDIT_VIEW if policy else EscalationIds.CREATE_VIEW
    title = "Edit escalation path" if policy else "New escalation path"
    return modal(callback, title, blocks, metadata=metadata)


def _path_inputs(policy: EscalationPolicy | None, channels: list[str] | None) -> list:
    """The path's own settings: its name, its acknowledgement window, where it is the default."""
    return [
        text_input(
            EscalationIds.NAME,
            "Name",
            initial=policy.name if policy else None,
            max_length=MAX_NAME,
            placeholder="Product leadership",
        ),
        labelled(
            EscalationIds.ACK_WINDOW,
            "Acknowledging pauses it for (minutes)",
            NumberInputElement(
                action_id=EscalationIds.ACK_WINDOW,
                is_decimal_allowed=False,
                min_value=MIN_ACK_MINUTES,
                max_value=MAX_WAIT_MINUTES,
                initial_value=str(policy.ack_window_minutes if policy else 240),
            ),
            optional=True,
        ),
        labelled(
            EscalationIds.DEFAULT,
            "Default",
            CheckboxesElement(
                action_id=EscalationIds.DEFAULT,
                options=[_flag(Flag.DEFAULT)],
                initial_options=[_flag(Flag.DEFAULT)] if policy and policy.is_default else None,
            ),
            optional=True,
        ),
        labelled(
            EscalationIds.CHANNELS,
            "Default in these channels",
            ConversationMultiSelectElement(
                action_id=EscalationIds.CHANNELS,
                initial_conversations=channels or None,
                filter={"include": ["public", "private"], "exclude_bot_users": True},
            ),
            optional=True,
        ),
    ]


def _level_inputs(number: int, level: EscalationLevel | None, people: Mapping[int, str]) -> list:
    flags = []
    if level is not None and level.include_decider:
        flags.append(_flag(Flag.DECIDER))
    if level is not None and level.post_in_channel:
        flags.append(_flag(Flag.CHANNEL))
    when = "at the deadline" if number == 1 else f"after level {number - 1}'s wait"
    users = [people[i] for i in level.person_ids if i in people] if level else []
    return [
        SectionBlock(text=MarkdownTextObject(text=f"*Level {number}* ({when})")),
        InputBlock(
            block_id=level_block(LevelPart.PEOPLE, number),
            label="People to message",
            optional=True,
            element=UserMultiSelectElement(
                action_id=level_block(LevelPart.PEOPLE, number), initial_users=users or None, max_selected_items=10
            ),
        ),
        InputBlock(
            block_id=level_block(LevelPart.FLAGS, number),
            label="Also",
            optional=True,
            element=CheckboxesElement(
                action_id=level_block(LevelPart.FLAGS, number),
                options=[_flag(Flag.DECIDER), _flag(Flag.CHANNEL)],
                initial_options=flags or None,
            ),
        ),
        InputBlock(
            block_id=level_block(LevelPart.WAIT, number),
            label="Then wait (minutes)",
            optional=True,
            element=NumberInputElement(
                action_id=level_block(LevelPart.WAIT, number),
                is_decimal_allowed=False,
                min_value=1,
                max_value=MAX_WAIT_MINUTES,
                initial_value=str(level.wait_minutes) if level else None,
            ),
        ),
        InputBlock(
            block_id=level_block(LevelPart.REPEATS, number),
            label="Ping again meanwhile (times)",
            optional=True,
            element=NumberInputElement(
                action_id=level_block(LevelPart.REPEATS, number),
                is_decimal_allowed=False,
                min_value=0,
                max_value=MAX_REPEATS,
                initial_value=str(level.repeats) if level and level.repeats else None,
            ),
        ),
    ]


def saved_view(policy: EscalationPolicy, people: Mapping[int, str]) -> dict:
    lines = [f"*{esc(policy.name)}* is saved."]
    lines += [level_summary(lv, people, last=i == len(policy.levels) - 1) for i, lv in enumerate(policy.levels)]
    blocks = [SectionBlock(text=MarkdownTextObject(text="\n".join(lines)))]
    return View(type="modal", title="Escalation path", close="Done", blocks=blocks).to_dict()
