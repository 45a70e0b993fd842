"""Versioned playbooks (PB-n), their runs (R-n), and the learning loop (retrospectives, proposed changes,
experiments X-n) that improves them: one feature in three parts that meet at the published version.

The library (what a playbook is):
- `versions`: creating a playbook, finding one, publishing v(n+1) (the step dict's shape is documented there);
- `timing`: a step's timing as typed (`day 3`, `T-14d`, `+15 min`) and the UTC moment it is due in a run;
- `steps`: the step-line grammar (`timing | title | role or @person | approval: role | link`, `> details`), the
  one way steps are typed, in the edit form and in a proposed change alike;
- `templates`: the built-in onboarding, launch and incident playbooks a workspace copies;
- `library`: the new and edit forms, drafts, publishing with a changelog line, listing, who may publish;
- `diff`: two versions' steps compared (added, removed, moved, edited and which fields);
- `reviews`: the evergreen review (a health finding and one "still right?" DM per interval).

Running one:
- `runs`: starting R-n pinned to the current version, its steps' due times, reading a run and "My steps";
- `run_changes`: Done / Skip / Blocked, resolving, the incident lead's status update;
- `run_schedule`: which step DMs and status reminders are due, claimed once each.

Learning from one:
- `retros`: the retrospective (a blameless postmortem for incidents) and what it creates: suggestions, `A-n`, `X-n`;
- `proposals`: a suggestion made a change to one step in the owner's draft; accepting publishes v(n+1) naming the run;
- `experiments`: `/experiment`, its end-date ask and its learning in the weekly health post.

`from services import playbooks` gives the operations below; names several parts share (`start`, `create`,
`find`) are given with the part's name (`start_run`, `start_retro`, `create_experiment`, `find_experiment`).
"""

from services.playbooks.diff import StepDiff, diff_steps
from services.playbooks.experiments import create as create_experiment
from services.playbooks.experiments import find as find_experiment
from services.playbooks.experiments import learnings_since, list_experiments, record_result
from services.playbooks.library import (
    NewPlaybook,
    create_playbook,
    editing_steps,
    find,
    history,
    list_playbooks,
    may_publish,
    people_index,
    require_publisher,
    save_edit,
    steps_as_text,
    steps_from_text,
    version_of,
)
from services.playbooks.proposals import accept, decline, propose, step_from_line
from services.playbooks.retros import RetroForm, retro_of
from services.playbooks.retros import save as save_retro
from services.playbooks.retros import start as start_retro
from services.playbooks.reviews import confirm as confirm_review
from services.playbooks.run_changes import change_step, resolve, status_posted
from services.playbooks.runs import RunForm, get_run, my_steps, pinned_of, steps_of, timeline
from services.playbooks.runs import start as start_run
from services.playbooks.steps import HOW, StepErrors, as_text, parse_steps, steps_from
from services.playbooks.templates import template_for
from services.playbooks.timing import Timing, parse_timing
from services.playbooks.versions import create, get, new_step_key, publish, version

__all__ = [
    "HOW",
    "NewPlaybook",
    "RetroForm",
    "RunForm",
    "StepDiff",
    "StepErrors",
    "Timing",
    "accept",
    "as_text",
    "change_step",
    "confirm_review",
    "create",
    "create_experiment",
    "create_playbook",
    "decline",
    "diff_steps",
    "editing_steps",
    "find",
    "find_experiment",
    "get",
    "get_run",
    "history",
    "learnings_since",
    "list_experiments",
    "list_playbooks",
    "may_publish",
    "my_steps",
    "new_step_key",
    "parse_steps",
    "parse_timing",
    "people_index",
    "pinned_of",
    "propose",
    "publish",
    "record_result",
    "require_publisher",
    "resolve",
    "retro_of",
    "save_edit",
    "save_retro",
    "start_retro",
    "start_run",
    "status_posted",
    "step_from_line",
    "steps_as_text",
    "steps_from",
    "steps_from_text",
    "steps_of",
    "template_for",
    "timeline",
    "version",
    "version_of",
]
