"""Action ids one feature shows and another answers, named once here so neither imports the other's handlers.

- FOLLOW_UP: a decided decision's card carries "Add follow-up" (its value the decision's ref); the action items
  feature registers the listener and opens its form with the decision as the source.
- LOG_PROGRESS: "Log progress" (its value an outcome's ref) on the outcome card, the Home tab and the health
  feature's "asks for an update" message; the outcomes feature answers it with the progress form.
- MAKE_MEETING_ASYNC: "Make it async" (its value a meeting's ref) on the meeting card and on a health finding
  about a series that keeps arriving unprepared; the meetings feature answers it.
"""

from __future__ import annotations

from enum import StrEnum


class SharedIds(StrEnum):
    FOLLOW_UP = "follow_up_button"  # value: a decided decision's ref (D-7)
    LOG_PROGRESS = "outcome_log_progress"  # value: an outcome's ref (O-12)
    MAKE_MEETING_ASYNC = "meeting_make_async"  # value: a meeting's ref (M-3)
