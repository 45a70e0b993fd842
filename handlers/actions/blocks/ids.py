"""Block, action and callback ids of action items, named once."""

from __future__ import annotations

from enum import StrEnum


class ActionIds(StrEnum):
    # forms
    CREATE_VIEW = "action_create"
    SNOOZE_VIEW = "action_snooze_form"
    REASSIGN_VIEW = "action_reassign_form"
    DROP_VIEW = "action_drop_form"
    # fields
    WHAT = "action_what"
    OWNER = "action_owner"
    DUE = "action_due"
    OUTCOME = "action_outcome"
    UNTIL = "action_until"
    NEW_OWNER = "action_new_owner"
    REASON = "action_reason"
    # buttons (their value is the item's ref)
    DONE = "action_done"
    SNOOZE = "action_snooze"
    REASSIGN = "action_reassign"
    DROP = "action_drop"
    CREATE = "action_new"
    CARD_ACTIONS = "action_card_actions"
