"""Decisions: ask, decide, withdraw, move the deadline, acknowledge or snooze the escalation, reopen; find,
list and search them. Every rule of who may do what, and when, lives here once.

- `rules`: limits, fields, permissions; `asking`: the form and creating; `changes`: everything after;
- `walk`: the plan of pings (pure); `schedule`: the walk in the database; `policies`: escalation paths;
- `reading`: finding, listing, the log and the Home tab; `recorded`: a decision taken in a meeting, born decided.

`from services import decisions` gives the operations below.
"""

from services.decisions import policies, walk
from services.decisions.asking import DecisionForm, create_decision, parse_options, suggested_deadline
from services.decisions.changes import acknowledge, ask_for_input, decide, move_deadline, reopen, snooze, withdraw
from services.decisions.reading import (
    HomeDecisions,
    LogSearch,
    find_decision,
    get_decision,
    home_decisions,
    list_decisions,
    load,
    people_by_id,
    search_log,
    timeline,
)
from services.decisions.recorded import check_decided, record_decided
from services.decisions.rules import (
    MAX_CHOICE,
    MAX_CONTEXT,
    MAX_OPTION,
    MAX_OPTIONS,
    MAX_QUESTION,
    MAX_RATIONALE,
    MAX_REASON,
    Field,
    ListScope,
    can_ask_input,
    can_decide,
    can_reschedule,
    can_respond,
    can_withdraw,
    parse_deadline,
    require_closed,
    require_decider,
    require_open,
    require_rescheduler,
    require_respondent,
    require_withdrawer,
    snooze_limit,
)
from services.decisions.schedule import (
    due_decision_ids,
    paused_until,
    record_ping,
    refresh_schedule,
    walk_for,
    with_fired,
)

__all__ = [
    "MAX_CHOICE",
    "MAX_CONTEXT",
    "MAX_OPTION",
    "MAX_OPTIONS",
    "MAX_QUESTION",
    "MAX_RATIONALE",
    "MAX_REASON",
    "DecisionForm",
    "Field",
    "HomeDecisions",
    "ListScope",
    "LogSearch",
    "acknowledge",
    "ask_for_input",
    "can_ask_input",
    "can_decide",
    "can_reschedule",
    "can_respond",
    "can_withdraw",
    "check_decided",
    "create_decision",
    "decide",
    "due_decision_ids",
    "find_decision",
    "get_decision",
    "home_decisions",
    "list_decisions",
    "load",
    "move_deadline",
    "parse_deadline",
    "parse_options",
    "paused_until",
    "people_by_id",
    "policies",
    "record_decided",
    "record_ping",
    "refresh_schedule",
    "reopen",
    "require_closed",
    "require_decider",
    "require_open",
    "require_rescheduler",
    "require_respondent",
    "require_withdrawer",
    "search_log",
    "snooze",
    "snooze_limit",
    "suggested_deadline",
    "timeline",
    "walk",
    "walk_for",
    "with_fired",
    "withdraw",
]
