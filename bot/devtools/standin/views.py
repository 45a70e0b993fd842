"""views.* methods: modals need a fresh, unused trigger; updates honour the hash."""

from __future__ import annotations

from bot.devtools.standin.calls import SlackError, invalid_arguments
from bot.devtools.standin.checks import check_view
from bot.devtools.standin.workspace import Workspace


def _materialise(ws: Workspace, view: dict, view_id: str, *, root_view_id: str | None = None) -> dict:
    """The view as Slack echoes it: our fields plus the ones Slack fills in."""
    return {
        "id": view_id,
        "team_id": ws.team_id,
        "type": view["type"],
        "title": view.get("title"),
        "submit": view.get("submit"),
        "close": view.get("close"),
        "blocks": view["blocks"],
        "private_metadata": view.get("private_metadata", ""),
        "callback_id": view.get("callback_id", ""),
        "external_id": view.get("external_id", ""),
        "clear_on_close": bool(view.get("clear_on_close", False)),
        "notify_on_close": bool(view.get("notify_on_close", False)),
        "state": {"values": {}},
        "hash": ws.new_hash(view_id),
        "previous_view_id": None,
        "root_view_id": root_view_id or view_id,
        "app_id": ws.app_id,
        "app_installed_team_id": ws.team_id,
        "bot_id": ws.bot_id,
    }


def _claim_external_id(ws: Workspace, view: dict, view_id: str) -> None:
    external_id = view.get("external_id")
    if not external_id:
        return
    if ws.external_ids.get(external_id, view_id) != view_id:
        raise SlackError("duplicate_external_id")
    ws.external_ids[external_id] = view_id


def _open(ws: Workspace, args: dict, action: str) -> dict:
    view = check_view(args, types=("modal",))
    user = ws.use_trigger(args["trigger_id"])
    view_id = f"V{ws.next_n():010d}"
    _claim_external_id(ws, view, view_id)
    stored = _materialise(ws, view, view_id)
    ws.views[view_id] = stored
    ws.view_users[view_id] = user
    # The trigger says which click (so which shell, when two act as one person) the modal answers.
    ws.emit("view", view_id=view_id, user=user, view=stored, action=action, trigger_id=str(args["trigger_id"]))
    return {"ok": True, "view": stored}


def open_view(ws: Workspace, args: dict) -> dict:
    return _open(ws, args, "open")


def push_view(ws: Workspace, args: dict) -> dict:
    return _open(ws, args, "push")


def _check_hash(args: dict, current: dict) -> None:
    if args.get("hash") and args["hash"] != current["hash"]:
        raise SlackError("hash_conflict")


def update_view(ws: Workspace, args: dict) -> dict:
    if args.get("view_id"):
        view_id = str(args["view_id"])
    elif args.get("external_id"):
        view_id = ws.external_ids.get(str(args["external_id"]), "")
    else:
        raise invalid_arguments("[ERROR] either view_id or external_id is required")
    view = check_view(args)
    current = ws.views.get(view_id)
    if current is None:
        raise SlackError("not_found")
    _check_hash(args, current)
    _claim_external_id(ws, view, view_id)
    stored = _materialise(ws, view, view_id, root_view_id=current["root_view_id"])
    ws.views[view_id] = stored
    user = ws.view_users.get(view_id)
    if stored["type"] == "home":
        ws.emit("home", user=user, view=stored)
    else:
        ws.emit("view", view_id=view_id, user=user, view=stored, action="update")
    return {"ok": True, "view": stored}


def publish(ws: Workspace, args: dict) -> dict:
    user = str(args["user_id"])
    if user not in ws.users:
        raise SlackError("user_not_found")
    view = check_view(args, types=("home",))
    # A person has one Home tab per app, so its view id stays put across publishes.
    view_id = ws.homes.get(user) or f"V{ws.next_n():010d}"
    if view_id in ws.views:
        _check_hash(args, ws.views[view_id])
    stored = _materialise(ws, view, view_id)
    ws.views[view_id] = stored
    ws.view_users[view_id] = user
    ws.homes[user] = view_id
    ws.emit("home", user=user, view=stored)
    return {"ok": True, "view": stored}


HANDLERS = {
    "views.open": open_view,
    "views.push": push_view,
    "views.update": update_view,
    "views.publish": publish,
}
