"""Block, action and view ids of execution health's surfaces (findings, their forms)."""

from __future__ import annotations

from enum import StrEnum


class HealthIds(StrEnum):
    # buttons: each value is the finding's key; the finding (and so what to do) is found again on every press
    DO = "health_do"
    SNOOZE = "health_snooze"
    ACTIONS = "health_actions"  # prefix of a finding's actions block id
    # views
    DUE_VIEW = "health_move_due"
    OWNER_VIEW = "health_new_owner"
    HANDOVER_VIEW = "health_handover"
    # inputs: each block id is also its element's action id
    DUE = "health_due"
    OWNER = "health_owner"
    ITEMS = "health_handover_items"
    TO = "health_handover_to"
