"""What meetings tell people, as outbox rows, one module per occasion; the scheduler reaches them through here.

Keys are built from the meeting's token or ref (never handed out again in a workspace) and the person, so a
retried press or a restart queues nothing twice.
"""

from handlers.meetings.messages.cancelled import TELL_KIND, tell_cancelled
from handlers.meetings.messages.edited import tell_edited
from handlers.meetings.messages.gate import GATE_KIND, flag_to_organiser, tell_blocked
from handlers.meetings.messages.going_async import (
    ASYNC_KIND,
    queue_asks,
    queue_decision,
    queue_summary,
    queue_thread,
    queue_which_item,
)
from handlers.meetings.messages.outcome import ACTIONS_KIND, SUMMARY_KIND, tell_recorded
from handlers.meetings.messages.pre_reads import (
    READ_KIND,
    queue_pre_read_asks,
    queue_reminders,
    tell_facilitator_who_read,
)
from handlers.meetings.messages.running import THREAD_KIND, open_thread, post_time_up

__all__ = [
    "ACTIONS_KIND",
    "ASYNC_KIND",
    "GATE_KIND",
    "READ_KIND",
    "SUMMARY_KIND",
    "TELL_KIND",
    "THREAD_KIND",
    "flag_to_organiser",
    "open_thread",
    "post_time_up",
    "queue_asks",
    "queue_decision",
    "queue_pre_read_asks",
    "queue_reminders",
    "queue_summary",
    "queue_thread",
    "queue_which_item",
    "tell_blocked",
    "tell_cancelled",
    "tell_edited",
    "tell_facilitator_who_read",
    "tell_recorded",
]
