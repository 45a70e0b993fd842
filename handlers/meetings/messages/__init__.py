"""What meetings tell people, as outbox rows, one module per occasion; the scheduler reaches them through here.

Keys are built from the meeting's token or ref (never handed out again in a workspace) and the person, so a
retried press or a restart queues nothing twice.
"""

from handlers.meetings.messages.cancelled import TELL_KIND, tell_cancelled
from handlers.meetings.messages.going_async import (
    ASYNC_KIND,
    queue_asks,
    queue_decision,
    queue_summary,
    queue_thread,
    queue_which_item,
)

__all__ = ["TELL_KIND", "tell_cancelled"]
__all__ += ["ASYNC_KIND", "queue_asks", "queue_decision", "queue_summary", "queue_thread", "queue_which_item"]
