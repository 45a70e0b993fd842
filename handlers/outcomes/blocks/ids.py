"""Block, action and view ids of the outcome surfaces (the card, its forms, the Home section)."""

from __future__ import annotations

from enum import StrEnum

from handlers.kit.shared_ids import SharedIds


class OutcomeIds(StrEnum):
    # views
    CREATE_VIEW = "outcome_create"
    EDIT_VIEW = "outcome_edit"
    OWNER_VIEW = "outcome_owner"
    DROP_VIEW = "outcome_drop"
    PRIORITY_VIEW = "priority_add"
    # inputs: each block id is also its element's action id
    TITLE = "outcome_title"
    DEFINITION = "outcome_definition"
    OWNER = "outcome_owner_user"
    DUE = "outcome_due"
    PARENT = "outcome_parent"
    LAGGING_NAME = "outcome_lagging_name"
    UNIT = "outcome_unit"
    BASELINE = "outcome_baseline"
    TARGET = "outcome_target"
    LEADING = "outcome_leading"
    NEW_OWNER = "outcome_new_owner"
    DROP_REASON = "outcome_drop_reason"
    PRIORITY_TITLE = "priority_title"
    # buttons
    CREATE = "outcome_create_button"
    EDIT = "outcome_edit_button"
    CHANGE_OWNER = "outcome_owner_button"
    MARK_DONE = "outcome_done_button"
    DROP = "outcome_drop_button"
    LOG_PROGRESS = SharedIds.LOG_PROGRESS.value  # opens the progress form for this outcome (others show it too)
    CARD_ACTIONS = "outcome_card_actions"
    ADD_PRIORITY = "priority_add_button"  # the Home tab's start: opens the priority form (admins)
