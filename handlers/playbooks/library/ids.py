"""Block, action and callback ids of the playbook library, named once."""

from __future__ import annotations

from enum import StrEnum


class LibraryIds(StrEnum):
    # forms
    NEW_VIEW = "playbook_new"
    EDIT_VIEW = "playbook_edit"
    # fields
    NAME = "playbook_name"
    KIND = "playbook_kind"
    OWNER = "playbook_owner"
    REVIEW = "playbook_review_days"
    STEPS = "playbook_steps"
    PUBLISH = "playbook_publish"
    CHANGELOG = "playbook_changelog"
    # the review DM's buttons (their value is the playbook's ref)
    REVIEW_ACTIONS = "playbook_review_actions"
    CONFIRM = "playbook_review_confirm"
    EDIT = "playbook_review_edit"
