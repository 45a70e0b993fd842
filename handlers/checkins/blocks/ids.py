"""Block and action ids of the check-in surfaces, and which set-up field each form block shows."""

from __future__ import annotations

from enum import StrEnum

from services.checkins import Field


class CheckinIds(StrEnum):
    # views
    SETUP_VIEW = "checkin_setup"
    ANSWER_VIEW = "checkin_answer"
    # buttons
    ANSWER = "checkin_answer_button"  # value: the round's token (never its id, which SQLite hands out again)
    ASK_ACTIONS = "checkin_ask_actions"
    DELETE_ACTIONS = "checkin_delete_actions"
    DELETE = "checkin_delete"  # value: the cadence's token, so a stale button can never delete a newer one
    KEEP = "checkin_keep"
    # set-up inputs: each block id is also its element's action id
    AUDIENCE = "checkin_audience"
    MEMBERS = "checkin_members"
    FREQUENCY = "checkin_frequency"
    DAYS = "checkin_days"
    TIME = "checkin_time"
    ZONE_MODE = "checkin_zone_mode"
    ZONE = "checkin_zone"
    START = "checkin_start"
    QUESTIONS = "checkin_questions"
    EXTRAS = "checkin_extras"
    REMIND = "checkin_remind"
    DIGEST = "checkin_digest"
    # answer inputs; per-question and per-outcome ids add ":<n>" or ":<ref>"
    QUESTION = "checkin_q"
    BLOCKER = "checkin_blocker"
    WILL = "checkin_will"  # "I will…": each line an action item of the person answering
    CONFIDENCE = "checkin_confidence"
    OUTCOME_STATUS = "checkin_outcome_status"
    OUTCOME_VALUES = "checkin_outcome_values"


class Extra(StrEnum):
    BLOCKER = "blocker"
    CONFIDENCE = "confidence"


FIELD_BLOCKS: dict[Field, CheckinIds] = {
    Field.AUDIENCE: CheckinIds.AUDIENCE,
    Field.MEMBERS: CheckinIds.MEMBERS,
    Field.FREQUENCY: CheckinIds.FREQUENCY,
    Field.DAYS: CheckinIds.DAYS,
    Field.TIME: CheckinIds.TIME,
    Field.ZONE_MODE: CheckinIds.ZONE_MODE,
    Field.ZONE: CheckinIds.ZONE,
    Field.START: CheckinIds.START,
    Field.QUESTIONS: CheckinIds.QUESTIONS,
    Field.REMIND: CheckinIds.REMIND,
    Field.DIGEST: CheckinIds.DIGEST,
}


def indexed(block: CheckinIds, key: object) -> str:
    return f"{block.value}:{key}"
