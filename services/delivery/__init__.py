"""The outbox's state machine, as the sender drives it: claim with a lease, then record what Slack said.

    pending --claim--> sending --sent--> sent
       ^                  |---transient failure, attempts left / 429 / released--> pending (later)
       |                  |---permanent failure, or attempts used up------------> failed
       +--lease expired (the sender died): claimable again, as if pending
    pending --cancel--> cancelled

A call whose outcome is unknown (a timeout, a 5xx, a lease that lapsed mid-call) sets outcome_unknown_since;
the sender looks for the post before trying again, and a delivery recorded as sent clears it.

claims.py takes rows for a sender; results.py records what Slack said.
"""

from services.delivery.claims import Share, claim, next_due, parents_of
from services.delivery.results import (
    AUDIENCE_ERRORS,
    NOTICE_KIND,
    TRANSIENT_ERRORS,
    RetryPolicy,
    Sent,
    mark_all_sent,
    mark_failed,
    mark_sent,
    note_failure,
    release,
    retry_later,
    transient_failure,
)

__all__ = [
    "AUDIENCE_ERRORS",
    "NOTICE_KIND",
    "TRANSIENT_ERRORS",
    "RetryPolicy",
    "Sent",
    "Share",
    "claim",
    "mark_all_sent",
    "mark_failed",
    "mark_sent",
    "next_due",
    "note_failure",
    "parents_of",
    "release",
    "retry_later",
    "transient_failure",
]
