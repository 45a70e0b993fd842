"""The direct message that tells an owner a scheduled message can never reach someone (sent once per cause)."""

from __future__ import annotations

from slack_sdk.models.blocks import ContextBlock, MarkdownTextObject, SectionBlock

from bot.surface import INVITE
from handlers.kit.text import mention_target as mention

# Why Slack refused, in words an owner can act on.
REASONS = {
    "user_not_found": "Slack no longer knows that person in this workspace.",
    "account_inactive": "their Slack account has been deactivated.",
    "user_disabled": "their Slack account has been deactivated.",
    "cannot_dm_bot": "that is a bot, and bots can't get direct messages.",
    "channel_not_found": "the channel was deleted, or it is private and I'm not in it.",
    "not_in_channel": f"I'm not a member of that channel. Invite me with `{INVITE}` there.",
    "is_archived": "the channel is archived.",
    "channel_is_archived": "the channel is archived.",
    "user_not_in_channel": "that person is not a member of the channel.",
    "restricted_action": "a workspace setting stops me from posting there.",
    "team_access_not_granted": "the workspace hasn't given me access to that conversation.",
}


def failure_notice(*, owner: str, target: str, error: str, kind: str) -> dict:
    """chat.postMessage arguments for the owner's DM."""
    reason = REASONS.get(error, f"Slack answered `{error}`.")
    text = f"I couldn't deliver a scheduled message to {mention(target)}: {reason}"
    blocks = [
        SectionBlock(text=MarkdownTextObject(text=text)),
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text=f"Kind: `{kind}`. I'll keep trying on later occasions, but I won't tell you about "
                    f"{mention(target)} and `{error}` again."
                )
            ]
        ),
    ]
    return {"channel": owner, "text": text, "blocks": [block.to_dict() for block in blocks]}
