"""Built-in templates, one per kind: a starting point a workspace copies into its own playbook and edits.

Written in the step-line grammar (services/playbooks/steps.py), so the new-playbook form shows them as they are
typed and the same parser reads them back.
"""

from __future__ import annotations

from models import PlaybookKind

ONBOARDING = """\
day 1 | Welcome them and share the first-week plan | buddy
day 1 | Laptop, accounts and access ready before they arrive | it
> Ask IT a week ahead; they need the start date and the team.
day 2 | Walk through the team's outcomes and how we check in | manager
day 3 | Pair on a first small change | buddy
week 2 | First one-to-one: what is unclear so far? | manager
week 4 | Agree goals for the first quarter | manager | approval: manager's lead"""

LAUNCH = """\
T-14d | Freeze the scope; anything else waits for the next release | launch lead
T-7d | Release notes and announcement drafted | comms | approval: launch lead
T-3d | Support team briefed, help pages updated | support
T-1d | Go / no-go check | launch lead
T | Ship it and post the announcement | launch lead
T+1d | Watch the numbers and the support queue; share what you see | launch lead
T+7d | Retrospective: what should the next launch do differently? | launch lead"""

INCIDENT = """\
now | Declare the incident and say who leads it | incident lead
+5 min | Open a status update for the people affected | comms
> Say what is affected and when the next update comes; no guesses about causes.
+15 min | Find what changed recently and roll it back if it may be the cause | incident lead
+30 min | Second status update, even if nothing changed | comms
+1h | Check whether customers need to be told directly | support
+2h | Write down the timeline while it is fresh | incident lead"""

OTHER = """\
day 1 | First step | lead
day 2 | Second step | lead"""

TEMPLATES: dict[PlaybookKind, str] = {
    PlaybookKind.ONBOARDING: ONBOARDING,
    PlaybookKind.LAUNCH: LAUNCH,
    PlaybookKind.INCIDENT: INCIDENT,
    PlaybookKind.OTHER: OTHER,
}

NAMES: dict[PlaybookKind, str] = {
    PlaybookKind.ONBOARDING: "Onboarding",
    PlaybookKind.LAUNCH: "Launch",
    PlaybookKind.INCIDENT: "Incident response",
    PlaybookKind.OTHER: "Checklist",
}


def template_for(kind: PlaybookKind) -> str:
    return TEMPLATES[kind]
