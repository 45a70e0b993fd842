"""Outcomes, their progress and the priorities they serve; the operations other features use are re-exported here.

- `form`: what makes a definition acceptable (OutcomeForm → Draft, errors by Field).
- `rules`: who may manage an outcome.
- `changes`: define, edit, reassign, move the due date, retire a metric.
- `queries`: find by ref, lists, pickers, the card, the Home summary.
- `grammar`: what people type after `/progress`, taken apart.
- `progress`: logging values, status, note and blocker, checked together and stored in one go.
- `undo`: taking back one's own last update.
- `priorities`: the ranked organisation priorities.
- `sparkline`: recent readings as a text sparkline.
"""

from services.errors import Forbidden, Invalid, NotFound
from services.outcomes.changes import change_owner, create_outcome, edit_outcome, move_due, retire_metric
from services.outcomes.form import Field, OutcomeForm
from services.outcomes.grammar import BadProgress, Entry, Part, parse_values
from services.outcomes.progress import Logged, log_progress
from services.outcomes.queries import (
    Card,
    HomeSummary,
    ListScope,
    find_outcome,
    get_outcome,
    home_summary,
    latest_updates,
    list_outcomes,
    load_card,
    recent_readings,
    search_outcomes,
    search_priorities,
)
from services.outcomes.rules import can_manage, require_manager
from services.outcomes.undo import Undone, undo_last

__all__ = [
    "BadProgress",
    "Card",
    "Entry",
    "Field",
    "Forbidden",
    "HomeSummary",
    "Invalid",
    "ListScope",
    "Logged",
    "NotFound",
    "OutcomeForm",
    "Part",
    "Undone",
    "can_manage",
    "change_owner",
    "create_outcome",
    "edit_outcome",
    "find_outcome",
    "get_outcome",
    "home_summary",
    "latest_updates",
    "list_outcomes",
    "load_card",
    "log_progress",
    "move_due",
    "parse_values",
    "recent_readings",
    "require_manager",
    "retire_metric",
    "search_outcomes",
    "search_priorities",
    "undo_last",
]
