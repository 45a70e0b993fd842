"""The ids of decisions' Block Kit: views, inputs (each block id is also its element's action id) and buttons."""

from __future__ import annotations

from enum import StrEnum

from services.decisions import Field


class DecisionIds(StrEnum):
    # views
    CREATE_VIEW = "decision_create"
    DECIDE_VIEW = "decision_decide"
    WITHDRAW_VIEW = "decision_withdraw"
    MOVE_VIEW = "decision_move"
    SNOOZE_VIEW = "decision_snooze"
    REOPEN_VIEW = "decision_reopen"
    # inputs: each block id is also its element's action id
    QUESTION = "decision_question"
    CONTEXT = "decision_context"
    LINK = "decision_link"
    OPTIONS = "decision_options"
    DECIDER = "decision_decider"
    RESPONSIBLE = "decision_responsible"
    CONSULTED = "decision_consulted"
    INFORMED = "decision_informed"
    DEADLINE = "decision_deadline"
    POLICY = "decision_policy"
    OUTCOME = "decision_outcome"
    CHOICE = "decision_choice"
    RATIONALE = "decision_rationale"
    REASON = "decision_reason"
    SNOOZE_FOR = "decision_snooze_for"
    # buttons
    CREATE = "decision_create_button"
    DECIDE = "decision_decide_button"
    ASK_INPUT = "decision_ask_input_button"
    ACKNOWLEDGE = "decision_acknowledge_button"
    SNOOZE = "decision_snooze_button"
    MOVE_DEADLINE = "decision_move_button"
    WITHDRAW = "decision_withdraw_button"
    REOPEN = "decision_reopen_button"
    CARD_ACTIONS = "decision_card_actions"


FIELD_BLOCKS: dict[Field, DecisionIds] = {
    Field.QUESTION: DecisionIds.QUESTION,
    Field.CONTEXT: DecisionIds.CONTEXT,
    Field.LINK: DecisionIds.LINK,
    Field.OPTIONS: DecisionIds.OPTIONS,
    Field.DECIDER: DecisionIds.DECIDER,
    Field.RESPONSIBLE: DecisionIds.RESPONSIBLE,
    Field.CONSULTED: DecisionIds.CONSULTED,
    Field.INFORMED: DecisionIds.INFORMED,
    Field.DEADLINE: DecisionIds.DEADLINE,
    Field.POLICY: DecisionIds.POLICY,
    Field.OUTCOME: DecisionIds.OUTCOME,
    Field.CHOICE: DecisionIds.CHOICE,
    Field.RATIONALE: DecisionIds.RATIONALE,
    Field.REASON: DecisionIds.REASON,
    Field.SNOOZE: DecisionIds.SNOOZE_FOR,
}
