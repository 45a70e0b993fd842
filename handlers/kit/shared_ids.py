"""Action ids one feature shows and another answers, named once here so neither imports the other's handlers.

A decided decision's card carries "Add follow-up" (FOLLOW_UP, its value the decision's ref); the action items
feature registers the listener and opens its form with the decision as the source.
"""

from __future__ import annotations

from enum import StrEnum


class SharedIds(StrEnum):
    FOLLOW_UP = "follow_up_button"  # value: a decided decision's ref (D-7)
