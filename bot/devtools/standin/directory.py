"""auth.test, users.* and conversations.* methods."""

from __future__ import annotations

from bot.devtools.standin.calls import SlackError
from bot.devtools.standin.checks import check_ts, truthy
from bot.devtools.standin.workspace import Workspace


def _page(items: list, args: dict, default_limit: int = 100) -> tuple[list, str]:
    """Cursor pagination the way Slack does it: an opaque cursor, "" on the last page."""
    try:
        limit = int(args.get("limit") or default_limit)
    except ValueError as e:
        raise SlackError("invalid_limit") from e
    cursor = str(args.get("cursor") or "")
    if cursor and not cursor.startswith("next:"):
        raise SlackError("invalid_cursor")
    try:
        start = int(cursor.removeprefix("next:")) if cursor else 0
    except ValueError as e:
        raise SlackError("invalid_cursor") from e
    limit = max(1, min(limit, 1000))
    end = start + limit
    return items[start:end], f"next:{end}" if end < len(items) else ""


def auth_test(ws: Workspace, args: dict) -> dict:
    domain = "".join(ch for ch in ws.team_name.lower() if ch.isalnum()) or "local"
    bot = ws.users.get(ws.bot_user_id, {})
    return {
        "ok": True,
        "url": f"https://{domain}.slack.com/",
        "team": ws.team_name,
        "user": bot.get("name", "followthrough"),
        "team_id": ws.team_id,
        "user_id": ws.bot_user_id,
        "bot_id": ws.bot_id,
        "is_enterprise_install": False,
    }


def users_info(ws: Workspace, args: dict) -> dict:
    user = str(args["user"])
    if user not in ws.users:
        raise SlackError("user_not_found")
    return {"ok": True, "user": ws.user_view(user)}


def dnd_info(ws: Workspace, args: dict) -> dict:
    """A person's Do Not Disturb as Slack reports it: a snooze they set, and their scheduled quiet hours."""
    user = str(args.get("user") or "")
    if user not in ws.users:
        raise SlackError("user_not_found")
    dnd = ws.users[user].get("dnd") or {}
    snooze = float(dnd.get("snooze_endtime") or 0)
    left = snooze - (ws.dnd_clock or ws.clock)()
    return {
        "ok": True,
        "dnd_enabled": bool(dnd.get("next_dnd_start_ts")),
        "next_dnd_start_ts": int(dnd.get("next_dnd_start_ts") or 1),
        "next_dnd_end_ts": int(dnd.get("next_dnd_end_ts") or 1),
        "snooze_enabled": left > 0,
        **({"snooze_endtime": int(snooze), "snooze_remaining": int(left)} if left > 0 else {}),
    }


def users_list(ws: Workspace, args: dict) -> dict:
    members, cursor = _page([ws.user_view(u) for u in ws.users], args, default_limit=1000)
    return {"ok": True, "members": members, "cache_ts": int(ws.clock()), "response_metadata": {"next_cursor": cursor}}


def conversations_open(ws: Workspace, args: dict) -> dict:
    if args.get("channel"):
        channel_id = ws.resolve(args["channel"])
        return {"ok": True, "channel": {"id": channel_id}}
    users = [u.strip() for u in str(args.get("users") or "").split(",") if u.strip()]
    if not users:
        raise SlackError("users_list_not_supplied")
    if len(users) > 8:
        raise SlackError("too_many_users")
    for user in users:
        if user not in ws.users:
            raise SlackError("user_not_found")
        if ws.users[user]["deleted"]:
            raise SlackError("user_disabled")
    if users == [ws.bot_user_id]:
        raise SlackError("cannot_dm_bot")
    if len(users) == 1:
        return {"ok": True, "channel": {"id": ws.dm_for(users[0])}}
    members = sorted(set(users) | {ws.bot_user_id})
    for channel_id, existing in ws.mpims.items():
        if existing == members:
            return {"ok": True, "channel": {"id": channel_id}}
    channel_id = f"G{ws.next_n():010d}"
    ws.mpims[channel_id] = members
    return {"ok": True, "channel": {"id": channel_id}}


def _known(ws: Workspace, args: dict) -> str:
    channel = str(args["channel"])
    if channel in ws.channels or channel in ws.ims or channel in ws.mpims:
        return channel
    raise SlackError("channel_not_found")


def conversations_info(ws: Workspace, args: dict) -> dict:
    return {"ok": True, "channel": ws.conversation_info(_known(ws, args))}


def conversations_members(ws: Workspace, args: dict) -> dict:
    members, cursor = _page(ws.members_of(_known(ws, args)), args)
    return {"ok": True, "members": members, "response_metadata": {"next_cursor": cursor}}


def _readable(ws: Workspace, args: dict) -> str:
    channel_id = _known(ws, args)
    if channel_id in ws.channels and ws.bot_user_id not in ws.channels[channel_id]["members"]:
        raise SlackError("not_in_channel")
    return channel_id


def _as_read(messages: list[dict], args: dict) -> list[dict]:
    # Message metadata comes back only when asked for (newer than the published spec, like the argument).
    if truthy(args.get("include_all_metadata")):
        return [dict(m) for m in messages]
    return [{k: v for k, v in m.items() if k != "metadata"} for m in messages]


def conversations_history(ws: Workspace, args: dict) -> dict:
    channel_id = _readable(ws, args)
    newest_first = sorted(ws.top_level(channel_id), key=lambda m: float(m["ts"]), reverse=True)
    if args.get("oldest"):
        newest_first = [m for m in newest_first if float(m["ts"]) > float(args["oldest"])]
    if args.get("latest"):
        newest_first = [m for m in newest_first if float(m["ts"]) < float(args["latest"])]
    messages, cursor = _page(newest_first, args)
    return {
        "ok": True,
        "messages": _as_read(messages, args),
        "has_more": bool(cursor),
        "response_metadata": {"next_cursor": cursor},
    }


def conversations_replies(ws: Workspace, args: dict) -> dict:
    channel_id = _readable(ws, args)
    ts = check_ts(args["ts"], "thread_not_found", "ts")
    thread = ws.thread(channel_id, ts)
    if not thread or thread[0]["ts"] != ts:
        raise SlackError("thread_not_found")
    messages, cursor = _page(thread, args, default_limit=1000)
    return {
        "ok": True,
        "messages": _as_read(messages, args),
        "has_more": bool(cursor),
        "response_metadata": {"next_cursor": cursor},
    }


HANDLERS = {
    "auth.test": auth_test,
    "users.info": users_info,
    "users.list": users_list,
    "dnd.info": dnd_info,
    "conversations.open": conversations_open,
    "conversations.info": conversations_info,
    "conversations.members": conversations_members,
    "conversations.history": conversations_history,
    "conversations.replies": conversations_replies,
}
