"""The ids of runs' Block Kit: views, inputs (each block id is also its element's action id) and buttons."""

from __future__ import annotations

from enum import StrEnum

# pb-learning listens for this one (the retrospective); the card only shows it once a run is resolved.
RETRO_OPEN = "playbook_retro_open"


class RunIds(StrEnum):
    # views
    START_VIEW = "playbook_run_start"
    REASON_VIEW = "playbook_step_reason"
    # inputs
    TITLE = "playbook_run_title"
    LEAD = "playbook_run_lead"
    ANCHOR = "playbook_run_anchor"
    CHANNEL = "playbook_run_channel"
    STATUS_EVERY = "playbook_run_status_every"
    REASON = "playbook_step_reason_text"
    # buttons and menus
    DONE = "playbook_step_done"
    SKIP = "playbook_step_skip"
    BLOCKED = "playbook_step_blocked"
    STEP_MENU = "playbook_step_menu"
    APPROVE = "playbook_step_approve"
    SEND_BACK = "playbook_step_send_back"
    RESOLVE = "playbook_run_resolve"
    STATUS_POSTED = "playbook_run_status_posted"
    # blocks of messages
    CARD_ACTIONS = "playbook_run_card_actions"
    DM_ACTIONS = "playbook_step_dm_actions"


def role_block(index: int) -> str:
    """The block (and action) id of the form's n-th role: role names are typed by people, ids are ours."""
    return f"playbook_run_role_{index}"
