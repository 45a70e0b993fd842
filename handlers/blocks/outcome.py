"""compatibility re-export until checkins/decisions move; delete at merge"""

from handlers.kit.forms import decode_meta, encode_meta
from handlers.kit.pickers import outcome_option
from handlers.kit.replies import forbidden_text
from handlers.kit.text import clip, esc, mention
from handlers.outcomes.blocks.pieces import STATUS_MARK, metric_now, status_text

__all__ = [
    "STATUS_MARK",
    "clip",
    "decode_meta",
    "encode_meta",
    "esc",
    "forbidden_text",
    "mention",
    "metric_now",
    "outcome_option",
    "status_text",
]
