"""Action items: one thing to do, one owner, a due date; captured from a command, a form or a message (and
later from meetings, decisions and check-in answers), and followed through without nagging.

- `rules`: limits, fields, who may change one; `dates` and `grammar`: the one-line form;
- `creating`: the one way to create; `changes`: done, drop, snooze, reassign;
- `plan`: when the owner hears (pure); `schedule`: the plan in the database; `reading`: finding and listing.

`from services import actions` gives the operations below; other features call `create(..., source=Source(...))`,
`open_for_outcome(...)` and `overdue_in_channel(...)`; `sources` holds the rules of those sources (a decided
decision, a check-in answer).
"""

from services.actions import plan
from services.actions.changes import done, drop, item_prefix, reassign, record, snooze
from services.actions.creating import Source, create, owner_of_line
from services.actions.dates import EXAMPLES
from services.actions.grammar import HOW, OneLine, parse_line
from services.actions.reading import (
    HOME_LIMIT,
    LIST_LIMIT,
    Listing,
    find_action,
    get_action,
    home_actions,
    list_actions,
    load,
    open_for_outcome,
    overdue_in_channel,
    people_by_id,
    timeline,
)
from services.actions.rules import (
    MAX_REASON,
    MAX_WHAT,
    Field,
    ListScope,
    can_change,
    check_what,
    require_changer,
    require_open,
)
from services.actions.schedule import due_for_owner, owners_due, record_nudge, refresh_plan, zone_of_owner
from services.actions.sources import checkin_source, decision_source, from_source

__all__ = [
    "EXAMPLES",
    "HOME_LIMIT",
    "HOW",
    "LIST_LIMIT",
    "MAX_REASON",
    "MAX_WHAT",
    "Field",
    "ListScope",
    "Listing",
    "OneLine",
    "Source",
    "can_change",
    "check_what",
    "checkin_source",
    "create",
    "decision_source",
    "done",
    "drop",
    "due_for_owner",
    "find_action",
    "from_source",
    "get_action",
    "home_actions",
    "item_prefix",
    "list_actions",
    "load",
    "open_for_outcome",
    "overdue_in_channel",
    "owner_of_line",
    "owners_due",
    "parse_line",
    "people_by_id",
    "plan",
    "reassign",
    "record",
    "record_nudge",
    "refresh_plan",
    "require_changer",
    "require_open",
    "snooze",
    "timeline",
    "zone_of_owner",
]
