"""Action, block and view ids of the learning loop. `OPEN_RETRO` is also on the running part's resolved card."""

from __future__ import annotations

from enum import StrEnum


class LearningIds(StrEnum):
    OPEN_RETRO = "playbook_retro_open"  # value: the run's id (the resolved card's) or the retro's token (our DM)
    RETRO_VIEW = "playbook_retro_form"
    RETRO_ACTIONS = "playbook_retro_actions"
    # The retrospective's fields: the block id is the service's field name under a prefix.
    WHAT_HAPPENED = "retro_what_happened"
    IMPACT = "retro_impact"
    WENT_WELL = "retro_went_well"
    WAS_HARD = "retro_was_hard"
    FACTORS = "retro_factors"
    SUGGESTIONS = "retro_suggestions"
    ACTIONS = "retro_actions"
    EXPERIMENTS = "retro_experiments"

    PROPOSE = "playbook_change_propose"  # value: the change's token
    PROPOSE_VIEW = "playbook_change_form"
    KIND = "change_kind"
    STEP = "change_step"
    LINE = "change_line"
    ACCEPT = "playbook_change_accept"
    DECLINE = "playbook_change_decline"
    CHANGE_ACTIONS = "playbook_change_actions"

    EXPERIMENT_VIEW = "experiment_form"
    HYPOTHESIS = "experiment_hypothesis"
    METRIC = "experiment_metric"
    EFFECT = "experiment_effect"
    ENDS_ON = "experiment_ends_on"
    RESULT = "experiment_result"  # the button (value: the experiment's token) and the form's choice
    RESULT_VIEW = "experiment_result_form"
    LEARNING = "experiment_learning"
    EXPERIMENT_ACTIONS = "experiment_actions"


RETRO_FIELDS = {
    "what_happened": LearningIds.WHAT_HAPPENED,
    "impact": LearningIds.IMPACT,
    "went_well": LearningIds.WENT_WELL,
    "was_hard": LearningIds.WAS_HARD,
    "factors": LearningIds.FACTORS,
    "suggestions": LearningIds.SUGGESTIONS,
    "actions": LearningIds.ACTIONS,
    "experiments": LearningIds.EXPERIMENTS,
}
CHANGE_FIELDS = {"kind": LearningIds.KIND, "step": LearningIds.STEP, "line": LearningIds.LINE}
EXPERIMENT_FIELDS = {
    "hypothesis": LearningIds.HYPOTHESIS,
    "metric": LearningIds.METRIC,
    "effect": LearningIds.EFFECT,
    "ends_on": LearningIds.ENDS_ON,
    "result": LearningIds.RESULT,
    "learning": LearningIds.LEARNING,
}
