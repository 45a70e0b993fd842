"""What meetings tell people, as outbox rows, one module per occasion; the scheduler reaches them through here.

Keys are built from the meeting's token or ref (never handed out again in a workspace) and the person, so a
retried press or a restart queues nothing twice.
"""

from handlers.meetings.messages.cancelled import TELL_KIND, tell_cancelled
from handlers.meetings.messages.outcome import ACTIONS_KIND, SUMMARY_KIND, tell_recorded

__all__ = ["ACTIONS_KIND", "SUMMARY_KIND", "TELL_KIND", "tell_cancelled", "tell_recorded"]
