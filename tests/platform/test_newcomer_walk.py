"""Issue 10's "done when": a new team lead's first session in `followthrough shell`, typed as one piped script.

Set-up from the Home tab's "Start small", the first outcome by the form, progress with the typos real people
make, a check-in deleted and set up again whose round really arrives (SQLite, which local mode uses, gives the new
rows the deleted ones' ids), a decision offered the app itself and a person twice, and a few of the rewordings.
Each fixed reply is asserted as the person reads it.

The script has no `:wait`: the shell waits for the app's immediate replies (those sent through the outbox too)
after every line, as a script written by a newcomer expects."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta

import pytest

from bot.devtools.shell import run_shell
from bot.settings import Settings
from handlers.decisions.blocks.words import relative
from services.decisions.asking import suggested_deadline
from tests.support import shell as shell_support

# The check-in form: only the people picked (you and Alex), every other default kept (weekly, Monday 09:30 in
# each person's own zone, the default questions, a reminder after 4 h, the digest 6 h after the first ask).
CHECKIN_FOR_US = ["/checkin", "2", "you, alex", *[""] * 10]


def default_deadline_words() -> str:
    """How far off the form's default deadline (two days on, 17:00 in local mode's UTC) reads now: "in 2 days"
    by day, "in 3 days" late at night, as the app rounds it."""
    now = datetime.now(UTC)
    return relative(suggested_deadline(now, UTC), now)  # type: ignore[arg-type]


def script() -> list[str]:
    due = datetime.now(UTC).date() + timedelta(weeks=6)
    return [
        # 1. Set-up: the Home tab's first step opens the priority form.
        ":home",
        ":click Add a priority",
        "Grow self-serve revenue",
        # 2. The first outcome, by the form.
        "/outcome",
        "Lift activation",  # title
        "Half of new teams reach their first check-in in week one.",  # definition of done
        ".",
        "you",  # owner
        due.isoformat(),
        "Grow",  # serves: search ...
        "1",  # ... and pick P-1
        "Activation rate",  # the lagging metric
        "%",
        "20",  # baseline
        "40",  # target
        "Demos booked: 2 -> 10",  # one leading indicator
        ".",
        ":home",
        # 3. Progress, with the typos.
        "/progress O-1 at risk legal",
        "/progress O-1 offtrack",
        "/progress O-1 on trak",
        "/progress O-1 at rsik waiting on legal",
        "/progress O-1 activation=40",  # the help's own example, with O-1's metric
        "/progress O-1 activation=-5",
        # 4. A check-in, deleted, set up again, and its round run at once.
        *CHECKIN_FOR_US,
        "/checkin now",
        "/checkin delete",
        ":click Delete",
        *CHECKIN_FOR_US,
        "/checkin now",
        ":as alex",
        ":click Answer",
        "Shipped the onboarding checklist",
        ".",
        "Interview two customers",
        ".",
        "",  # I will… (nothing this time)
        ".",  # nothing in the way
        "1",  # on track
        ":as you",
        # 5. A decision: the app itself as decider and Alex twice, then fixed on their fields.
        "/decision",
        "Which vendor do we sign the support contract with?",
        "Both pass security review; prices differ by 12%.",
        ".",
        "",  # link
        "Acme Support",
        "Globex Care",
        ".",
        "@followthrough",  # the decider: the app itself
        "",  # the default deadline, two days on
        "",  # responsible
        "alex",  # consulted
        "alex",  # informed, a second time
        "",  # the default escalation path
        "",  # outcome
        "priya",  # the decider again, asked on its field
        ":clear",  # the informed emptied, asked on its field
        # 6. Wording: a rename without its title, durations in words, the Home tab once all is set up.
        "/priority rename P-1",
        "/escalation list",
        ":home",
    ]


@pytest.fixture
def local_settings(tmp_path, monkeypatch) -> Settings:
    return shell_support.local_settings(tmp_path, monkeypatch)  # SQLite, as local mode runs


class Replies:
    """The transcript cut at each prompt: what followed each typed line."""

    def __init__(self, transcript: str) -> None:
        self.transcript = transcript
        parts = re.split(r"^(\w+@#general> .*)$", transcript, flags=re.MULTILINE)
        self.after = list(zip(parts[1::2], parts[2::2], strict=True))

    def to(self, typed: str, nth: int = 0) -> str:
        found = [reply for prompt, reply in self.after if prompt.split("> ", 1)[1] == typed]
        assert len(found) > nth, f"{typed!r} was not typed {nth + 1} time(s); the transcript:\n{self.transcript}"
        return found[nth]


def in_order(text: str, *parts: str) -> None:
    at = 0
    for part in parts:
        found = text.find(part, at)
        assert found >= 0, f"{part!r} is missing after position {at}:\n{text[at:]}"
        at = found + len(part)


async def test_a_new_team_walks_through_set_up_outcome_progress_checkin_and_decision(
    local_settings: Settings,
) -> None:
    out = io.StringIO()
    code = await run_shell(local_settings, stdin=io.StringIO("\n".join(script()) + "\n"), stdout=out)
    transcript = out.getvalue()
    said = Replies(transcript)
    assert code == 0, transcript

    # 1. Start small: the first step's button opens the priority form, and the step ticks itself.
    in_order(
        said.to(":home"),
        "Start small",
        "⬜ *Choose one priority*   [1] Add a priority",
        "⬜ *Define one outcome with its leading indicators*   [2] Define an outcome",
        "⬜ *Run a first check-in*",
    )
    assert "/followthrough help` shows what each does" in said.to(":home")
    assert "/progress O-12 42" not in said.to(":home")  # not the whole help under everything (item 9)
    in_order(said.to(":click Add a priority"), "+-- Add a priority", "(submitted)", "✅ ~Choose one priority~")

    # 2. The first outcome: created with its owner, serving P-1; the next step ticks.
    created = said.to("/outcome")
    in_order(
        created,
        "*O-1 · Lift activation* is defined, owned by @you.",
        "Log progress any time, e.g. `/progress O-1 42 what moved`; `/outcome O-1` shows its card.",
    )
    in_order(
        said.to(":home", 1),
        "✅ ~Choose one priority~",
        "✅ ~Define one outcome with its leading indicators~",
        "⬜ *Run a first check-in*",
        "🟢 *O-1* Lift activation",
        "Activation rate 20% / 40%",
    )

    # 3. Progress: status words however spelled, typos questioned, metric names loosely, a range questioned.
    in_order(
        said.to("/progress O-1 at risk legal"),
        "Logged on *O-1 · Lift activation*",
        "• On track → At risk",
        "• Note: legal",
        "I told #general about the status change.",
        "🟡 *O-1 · Lift activation* is now *at risk* (was on track), says @you.",
    )
    in_order(said.to("/progress O-1 offtrack"), "• At risk → Off track", "is now *off track* (was at risk)")
    assert "Did you mean `on-track`? Nothing was stored." in said.to("/progress O-1 on trak")
    assert "Did you mean `at-risk`? Nothing was stored." in said.to("/progress O-1 at rsik waiting on legal")
    assert "• Activation rate 20% → 40% (target 40%)" in said.to("/progress O-1 activation=40")
    assert (
        "Activation rate is a percentage, so `-5` looks like a typo. If you meant it, add `!` to the value: "
        "`activation=-5!`. Nothing was stored." in said.to("/progress O-1 activation=-5")
    )
    for never in ("Note: at risk", "Note: offtrack", "has no metric"):
        assert never not in transcript

    # 4. The check-in: set up, deleted after asking, set up again; the new round's thread and DMs really arrive.
    set_up = said.to("/checkin")
    in_order(
        set_up,
        "Remind people who haven't answered [4 h after they're asked]:",
        "Post the digest in the thread [6 h after the first ask]:",
        "The check-in for #general is set up: every Monday at 09:30, each person in their own time zone.",
        "*Who:* @you, @alex",
        "at 09:30 in each person's own time zone",
        "Start one now with `/checkin now`",
    )
    assert "UTC" not in set_up.split("is set up:", 1)[1]  # the next round as each person reads it (item 9)
    in_order(
        said.to("/checkin delete"),
        "Delete the check-in of #general? Its schedule, rounds and answers go, and messages still waiting to be "
        "sent are called off. Threads already posted stay in the channel. This can't be undone.",
        "[1] Delete  [2] Keep it",
    )
    assert "The check-in of #general is deleted. Its threads stay in the channel." in said.to(":click Delete")
    assert "is set up: every Monday at 09:30" in said.to("/checkin", 1)
    for nth in (0, 1):  # each round: its thread in the channel and the ask in my direct messages
        in_order(
            said.to("/checkin now", nth),
            "Started: a thread in #general and a direct message to 2 people.",
            "[#general] followthrough:\n  Check-in · ",
            "I'm asking 2 people by direct message. Answer with the button, or just reply in this thread.",
            "[DM] followthrough:\n  Time for the #general check-in (",
        )
    # Alex sees both asks, the new round's last, answers it, and the answer lands in a thread.
    as_alex = said.to(":as alex")
    assert as_alex.lstrip().startswith("You are now @alex (U0ALEX).\nDirect messages to @alex so far:")
    assert as_alex.count("Time for the #general check-in (") == 2
    in_order(
        said.to(":click Answer"),
        "Thanks! Your answer is saved, and on its way to the check-in thread in #general.",
        "[#general, thread ",
        "*Alex Meyer*",
        "Shipped the onboarding checklist",
        "*Confidence:* 🟢 On track",
        "✓ Thanks, your answer to the #general check-in of ",
    )

    # 5. The decision: the app itself and Alex twice are refused on their fields, then it is asked.
    in_order(
        said.to("/decision"),
        "! Followthrough is an app, not a person: choose someone from your team.",
        "Decider [followthrough]: priya",
        "! Alex Meyer is Consulted already: give each person one role, so take them off one of the lists.",
        "Informed (optional) [alex]: :clear",
        "*D-1* is asked: Which vendor do we sign the support contract with?",
        "@priya decides by ",
        f"UTC ({default_deadline_words()}).",
        "[#general] followthrough:\n  🗳️ *D-1* Which vendor do we sign the support contract with?",
        f"*Status* 🟡 Open, due {default_deadline_words()}",
        "*Decider* @priya",
        "for @priya (Asia/Kolkata)",
        "*Consulted* @alex",
    )
    card = said.to("/decision").split("🗳️ *D-1*", 1)[1]
    assert "*Informed*" not in card and "followthrough decides" not in transcript

    # 6. Wording: the rename's example names the priority typed; durations in words; Start small gone when done.
    assert (
        "The new title for P-1 is missing. Type it after the ref: `/priority rename P-1 Grow revenue`. "
        "Nothing was changed." in said.to("/priority rename P-1")
    )
    in_order(
        said.to("/escalation list"),
        "*Standard* (workspace default)",
        "1. at the deadline: the decider; after 4 h the next level",
        "2. next: the decider, the channel, 1 more time within 1 day",
        "_Acknowledging pauses it for 4 h._",
    )
    assert " min" not in said.to("/escalation list")
    last_home = said.to(":home", 2)
    assert "Start small" not in last_home and "🔴 *O-1* Lift activation" in last_home

    for never in ("I don't know", "HTTP 500", "Nothing to press yet", "! could not reach the app"):
        assert never not in transcript
    assert all(reply.count("Nothing was stored") <= 1 for _, reply in said.after)  # said once, not twice (item 9)
