"""What meetings tell people, as outbox rows, one module per occasion; the scheduler reaches them through here.

Keys are built from the meeting's token or ref (never handed out again in a workspace) and the person, so a
retried press or a restart queues nothing twice.
"""

from handlers.meetings.messages.cancelled import TELL_KIND, tell_cancelled
from handlers.meetings.messages.edited import tell_edited

__all__ = ["TELL_KIND", "tell_cancelled", "tell_edited"]
