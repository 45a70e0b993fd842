"""chat.* methods."""

from __future__ import annotations

from bot.devtools.standin.calls import SlackError
from bot.devtools.standin.checks import check_message_content, check_ts, parse_json_arg, truthy
from bot.devtools.standin.workspace import Workspace


def store_message(
    ws: Workspace,
    channel_id: str,
    *,
    user: str,
    text: str,
    blocks: list | None = None,
    thread_ts: str | None = None,
    broadcast: bool = False,
    extra: dict | None = None,
) -> dict:
    """Adds a message to a conversation; used for the bot's posts and for people's (add_message)."""
    message: dict = {"type": "message", "user": user, "text": text, "ts": ws.new_ts(), "team": ws.team_id}
    if user == ws.bot_user_id:
        message.update(bot_id=ws.bot_id, app_id=ws.app_id)
    if blocks is not None:
        message["blocks"] = blocks
    if extra:
        message.update(extra)
    if thread_ts:
        message["thread_ts"] = thread_ts
        if broadcast:
            message["subtype"] = "thread_broadcast"
        # Slack accepts a thread_ts that names no message; the reply then shows up nowhere but its thread.
        for parent in ws.messages.get(channel_id, []):
            if parent["ts"] == thread_ts:
                parent["thread_ts"] = thread_ts
                parent["reply_count"] = parent.get("reply_count", 0) + 1
                parent["reply_users"] = sorted(set(parent.get("reply_users", [])) | {user})
                parent["reply_users_count"] = len(parent["reply_users"])
                parent["latest_reply"] = message["ts"]
    ws.messages.setdefault(channel_id, []).append(message)
    dm_user = channel_id[1:] if channel_id.startswith("D") and channel_id[1:] in ws.users else None
    ws.emit(
        "message",
        channel=channel_id,
        ts=message["ts"],
        thread_ts=thread_ts,
        user=user,
        text=text,
        blocks=blocks,
        dm_user=dm_user,  # who a direct message is for, so the shell shows it to that person only
    )
    return message


def _writable(ws: Workspace, channel: object) -> str:
    channel_id = ws.resolve(channel)
    if channel_id in ws.channels and ws.bot_user_id not in ws.channels[channel_id]["members"]:
        raise SlackError("not_in_channel")
    return channel_id


def post_message(ws: Workspace, args: dict) -> dict:
    channel_id = _writable(ws, args["channel"])
    text, blocks = check_message_content(args)
    thread_ts = check_ts(args["thread_ts"], "invalid_thread_ts", "thread_ts") if args.get("thread_ts") else None
    extra = {}
    attachments = parse_json_arg(args, "attachments", "invalid_attachments")
    if attachments:
        extra["attachments"] = attachments
    metadata = parse_json_arg(args, "metadata")
    if metadata:
        extra["metadata"] = metadata
    message = store_message(
        ws,
        channel_id,
        user=ws.bot_user_id,
        text=text,
        blocks=blocks,
        thread_ts=thread_ts,
        broadcast=truthy(args.get("reply_broadcast")),
        extra=extra,
    )
    return {"ok": True, "channel": channel_id, "ts": message["ts"], "message": dict(message)}


def post_ephemeral(ws: Workspace, args: dict) -> dict:
    channel_id = _writable(ws, args["channel"])
    user = str(args["user"])
    if user not in ws.members_of(channel_id):
        raise SlackError("user_not_in_channel")
    text, blocks = check_message_content(args)
    ws.emit("ephemeral", channel=channel_id, user=user, text=text, blocks=blocks, thread_ts=args.get("thread_ts"))
    return {"ok": True, "message_ts": ws.new_ts()}


def _own_message(ws: Workspace, args: dict, refusal: str) -> tuple[str, dict]:
    channel_id = ws.resolve(args["channel"])
    message = ws.find_message(channel_id, args["ts"])
    if message.get("bot_id") != ws.bot_id:
        raise SlackError(refusal)
    return channel_id, message


def update(ws: Workspace, args: dict) -> dict:
    channel_id, message = _own_message(ws, args, "cant_update_message")
    # chat.update keeps the old text or blocks when the argument is absent.
    text, blocks = check_message_content(args)
    if "text" in args:
        message["text"] = text
    if "blocks" in args:
        if blocks is None:
            message.pop("blocks", None)
        else:
            message["blocks"] = blocks
    message["edited"] = {"user": ws.bot_user_id, "ts": ws.new_ts()}
    ws.emit("update", channel=channel_id, ts=message["ts"], text=message["text"], blocks=message.get("blocks"))
    return {"ok": True, "channel": channel_id, "ts": message["ts"], "text": message["text"], "message": dict(message)}


def delete(ws: Workspace, args: dict) -> dict:
    channel_id, message = _own_message(ws, args, "cant_delete_message")
    ws.messages[channel_id].remove(message)
    ws.emit("delete", channel=channel_id, ts=message["ts"])
    return {"ok": True, "channel": channel_id, "ts": message["ts"]}


def get_permalink(ws: Workspace, args: dict) -> dict:
    channel_id = ws.resolve(args["channel"])
    message = ws.find_message(channel_id, args["message_ts"])
    domain = "".join(ch for ch in ws.team_name.lower() if ch.isalnum()) or "local"
    link = f"https://{domain}.slack.com/archives/{channel_id}/p{message['ts'].replace('.', '')}"
    if message.get("thread_ts") and message["thread_ts"] != message["ts"]:
        link += f"?thread_ts={message['thread_ts']}&cid={channel_id}"
    return {"ok": True, "channel": channel_id, "permalink": link}


HANDLERS = {
    "chat.postMessage": post_message,
    "chat.postEphemeral": post_ephemeral,
    "chat.update": update,
    "chat.delete": delete,
    "chat.getPermalink": get_permalink,
}
