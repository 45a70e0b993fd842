"""Everything Slack must know about the app: commands, events, scopes.

Listeners register from these constants and the manifest is generated from them, so they cannot drift.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SlashCommand:
    name: str
    description: str  # manifest and help; Slack caps it at 2000 characters
    usage_hint: str
    examples: tuple[tuple[str, str], ...] = ()  # (typed text, what it does), shown by help
    # Slack then sends mentions as `<@U123|alex>` (ids, no lookup) instead of a plain `@alex`.
    should_escape: bool = False


@dataclass(frozen=True)
class MessageShortcut:
    """An entry in a message's "More actions" menu (the manifest's features.shortcuts, type message)."""

    callback_id: str
    name: str  # what the menu shows; Slack caps it at 80 characters
    description: str


# The bot posts only in channels it has been invited to: there is no `chat:write.public`. A check-in needs the
# bot in its channel anyway (Slack sends a channel's messages, the replies that answer a check-in, only to
# members), and one rule is easier to explain than two. Every reply that depends on it says how to invite it.
BOT_HANDLE = "Followthrough"  # the bot user's display name in the manifest
INVITE = f"/invite @{BOT_HANDLE}"


FOLLOWTHROUGH = SlashCommand(
    "/followthrough",
    "What Followthrough does, with examples; what needs attention, and what to do about it; your hours and focus",
    "[help | health [all | channel | #channel | @person | O-12 | D-7 | M-3 | help] | hours [08:00-16:00 mon-thu]"
    " | focus [2h | until 15:00 | off] | budget [2 | default] | attention | noise | dashboard"
    " | token [name | list | revoke <name>]]",
    examples=(
        ("help", "this overview of every command"),
        ("health", "what needs attention on you now, each with the one thing to do about it"),
        ("health all", "the whole workspace's findings (also: health channel, health @alex, health O-12)"),
        ("health help", "what each finding means, and the thresholds here"),
        ("hours 08:00-16:00 mon-thu", "your working hours, in your zone; `hours` shows them, `hours default` resets"),
        ("focus 2h", "hold DMs that aren't urgent for a while (also: focus 90m, focus until 15:00, focus off)"),
        ("budget 2", "at most 2 DMs that aren't urgent a day for you; `budget default` goes back"),
        ("attention", "the workspace's daily budget and what urgent DMs do at night (admins change them)"),
        ("noise", "how many DMs people got in the last 4 weeks, and which ones they ignore (admins)"),
        ("dashboard", "a private link that signs you in to the web dashboard (once, within ten minutes)"),
        ("token BI export", "a personal token for the read API, shown once (also: token list, token revoke BI export)"),
    ),
    should_escape=True,  # `health #channel` and `health @person` arrive as ids
)

OUTCOME = SlashCommand(
    "/outcome",
    "Define an outcome with one owner and a few metrics, list outcomes, or show one as a card",
    "[new | O-12 | list [mine|channel|all|at-risk] | help]",
    examples=(
        ("new", "define a new outcome in a form (so does `/outcome` alone)"),
        ("O-12", "show O-12: owner, due date, status, metrics with their trend, latest updates"),
        ("list", "your open outcomes (also: list channel, list all, list at-risk)"),
    ),
)

PROGRESS = SlashCommand(
    "/progress",
    "Log progress on an outcome in seconds: a metric value, a status, a note",
    "O-12 [value | name=value ...] [on-track|at-risk|off-track|done] [note] [blocker: ...]",
    examples=(
        ("O-12 42 onboarding flow shipped", "records 42 for O-12's lagging metric, with a note"),
        ("O-12 activation=31%", "records a named metric (spaces in the name typed as - or _)"),
        ("O-12 at-risk waiting on legal", "changes the status, with the reason"),
        ("O-12 demos=4 blocker: no demo account yet", "a value and a blocker"),
    ),
)

PRIORITY = SlashCommand(
    "/priority",
    "The organisation's ranked priorities that outcomes cascade from (admins manage them)",
    "[list | add <title> | rank P-2 <position> | rename P-2 <title> | archive P-2 | help]",
    examples=(
        ("list", "the ranked list, with how many outcomes serve each (so does `/priority` alone)"),
        ("add Grow self-serve revenue", "adds a priority at the bottom (admins)"),
        ("rank P-2 1", "moves P-2 to the top (admins)"),
        ("rename P-2 Grow revenue", "renames P-2 (admins)"),
        ("archive P-2", "takes P-2 off the list; its outcomes keep the link (admins)"),
    ),
)

DECISION = SlashCommand(
    "/decision",
    "Ask for a decision with one decider and a deadline; reminders, then escalation, until it is made",
    "[new | D-7 | list [mine|channel|overdue|decided] | log <text|@person|O-12|YYYY-MM-DD> | help]",
    examples=(
        ("new", "ask for a decision in a form (so does `/decision` alone)"),
        ("D-7", "show D-7: decider, deadline, who is consulted and informed, and its history"),
        ("list", "decisions waiting on you (also: list channel, list overdue, list decided)"),
        ("log vendor", "search what was decided, and why: by text, @person, O-12 or a date"),
    ),
)

ESCALATION = SlashCommand(
    "/escalation",
    "The escalation paths a decision walks after its deadline, level by level (admins define them)",
    "[list | new | edit <name> | help]",
    examples=(
        ("list", "every path with its levels, and where each is the default (so does `/escalation` alone)"),
        ("new", "define a path in a form: up to five levels, whom each pings and how long it waits (admins)"),
        ("edit Standard", "change a path (admins)"),
    ),
)

CHECKIN = SlashCommand(
    "/checkin",
    "A short written check-in for a channel: asks by direct message, answers in one thread, a digest after",
    "[setup | list | pause | resume | skip | now | delete | away YYYY-MM-DD | away off | help]",
    examples=(
        (
            "setup",
            "set up (or change) this channel's check-in in a form (so does `/checkin` alone); "
            f"invite me to the channel first with `{INVITE}`",
        ),
        ("now", "start a round at once"),
        ("skip", "skip the next round; `pause` and `resume` stop and restart them"),
        ("away 2026-12-02", "don't ask me until that day (`away off` when you're back)"),
        ("list", "every check-in in the workspace, with its next round"),
    ),
)

ACTION = SlashCommand(
    "/action",
    "Capture an action item with one owner and a due date; list them, or show one as a card",
    "[@person what by friday [O-12] | list [mine|channel|overdue|@person|O-12] | A-7 | help]",
    examples=(
        (
            "@alex send the pricing deck by friday",
            "alex owns it, due this coming Friday (also: by tomorrow, "
            "by 2026-12-04, in 3 days; add O-12 for the outcome it serves)",
        ),
        ("new", "the form: what, owner, due date and outcome (so does `/action` alone)"),
        ("list", "your open action items, overdue first (also: list channel, list overdue, list @alex, list O-12)"),
        ("A-7", "show A-7 with Done, Snooze, Reassign and Drop"),
    ),
    should_escape=True,
)

MEETING = SlashCommand(
    "/meeting",
    "Schedule a meeting with a desired outcome, a time-boxed agenda and a pre-read; list them, or show one",
    "[new | M-4 | list [mine|channel|series] | series M-4 [stop] | settings | help]",
    examples=(
        ("new", "the form: desired outcome, start, length, attendees, agenda and pre-read (so does `/meeting` alone)"),
        ("M-4", "show M-4: the desired outcome, the running order in your time zone and who has read the pre-read"),
        ("list", "the coming meetings you organise or are invited to (also: list channel, list series)"),
        ("settings", "the workspace's gate, pre-read reminder and time-box notes (admins change them)"),
    ),
)

INSIGHT = SlashCommand(
    "/insight",
    "Put a customer's or the field's own words beside an outcome's numbers",
    '[O-12 "quote" — source | O-12 | new | help]',
    examples=(
        ('O-12 "We would pay for the export today" — Dana, Acme call', "adds those words to O-12, with who said them"),
        ("O-12", "the latest words added to O-12"),
        ("new", "the form: outcome, quote and source (so does `/insight` alone)"),
    ),
)

PLAYBOOK = SlashCommand(
    "/playbook",
    "Versioned checklists for onboarding, launches and incidents: run one, tick its steps, improve it from the retro",
    "[list | PB-2 [v3 | diff v2 v3] | new | edit PB-2 | run PB-2 | R-4 | resolve R-4 | retro R-4 | help]",
    examples=(
        ("list", "the workspace's playbooks, their current version and when each was last reviewed"),
        ("PB-2", "PB-2's current version, step by step (`PB-2 v1` for an older one)"),
        ("PB-2 diff v1 v2", "what changed between two versions: steps added, removed, moved and edited"),
        ("new", "the form: name, kind, owner and steps, one per line, or start from a built-in template"),
        ("run PB-2", "start a run: who fills each role, when it starts, which channel gets the checklist"),
        ("R-4", "the run's checklist card: progress, what is late, and every step change on its timeline"),
        ("resolve R-4", "end the run (its lead or an admin); its lead is asked for the retrospective"),
        ("retro R-4", "the retrospective of a resolved run (a blameless postmortem for incidents)"),
    ),
)

EXPERIMENT = SlashCommand(
    "/experiment",
    "Record a bet worth testing: the hypothesis, the metric it should move, and what you learned at the end",
    "[new | list | X-3 | help]",
    examples=(
        ("new", "the form: hypothesis, the outcome metric it should move, the expected effect and the end date"),
        ("list", "running and finished experiments, with what each one taught"),
        ("X-3", "show X-3, and record its result when it has ended"),
    ),
)

CREATE_ACTION_SHORTCUT = MessageShortcut(
    "create_action_item",
    "Create action item",
    "Turn this message into an action item with an owner and a due date",
)

ADD_INSIGHT_SHORTCUT = MessageShortcut(
    "add_insight",
    "Add as insight",
    "Keep what a customer or the field said beside an outcome's numbers, with a link to this message",
)

COMMANDS: tuple[SlashCommand, ...] = (
    FOLLOWTHROUGH, OUTCOME, PROGRESS, PRIORITY, ACTION, CHECKIN, DECISION, ESCALATION, MEETING, INSIGHT, PLAYBOOK,
    EXPERIMENT,
)  # fmt: skip
# The first is what the shell's `:shortcut` uses unless it is named.
MESSAGE_SHORTCUTS: tuple[MessageShortcut, ...] = (CREATE_ACTION_SHORTCUT, ADD_INSIGHT_SHORTCUT)

BOT_EVENTS: tuple[str, ...] = (
    "app_home_opened",
    "app_uninstalled",
    "tokens_revoked",
    "message.channels",  # replies in a check-in thread count as answers
    "message.groups",
)

BOT_SCOPES: tuple[str, ...] = (
    "commands",
    "chat:write",  # not chat:write.public: the bot must be invited (INVITE above)
    "users:read",
    "im:write",
    "channels:read",  # conversations.members: a check-in asks the channel's current members
    "groups:read",
    "channels:history",  # message.channels / message.groups: replies in check-in threads
    "groups:history",  # ... and, with im:history, the outbox sender looking for a post whose outcome is unknown
    "im:history",
    "dnd:read",  # dnd.info: a normal or low DM waits while the person has paused notifications
)

# Sign in with Slack (OpenID Connect) to the dashboard, OAuth mode only: user scopes, and where Slack returns.
SIGN_IN_SCOPES: tuple[str, ...] = ("openid", "profile")
SIGN_IN_CALLBACK_PATH = "/web/sign-in/slack/callback"
