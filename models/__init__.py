"""SQLAlchemy models, one module per aggregate. Importing this package registers every table."""

from models.action import Action, ActionEvent, ActionEventKind, ActionStatus, SourceKind
from models.attention import AttentionSettings
from models.base import Base
from models.checkin import AnswerSource, Audience, Cadence, CadenceMember, Invite, Round, ZoneMode
from models.decision import Decision, DecisionMember, DecisionRole, DecisionStatus
from models.decision_event import DecisionEvent, DecisionEventKind
from models.escalation import ChannelEscalationDefault, EscalationLevel, EscalationPolicy
from models.health import HealthFinding, HealthSettings, Insight
from models.learning import ChangeKind, ChangeStatus, Experiment, ExperimentResult, ProposedChange, Retro, RetroStatus
from models.meeting import (
    AgendaItem,
    Attendee,
    AttendeeRole,
    ItemKind,
    ItemOutcome,
    Meeting,
    MeetingEvent,
    MeetingEventKind,
    MeetingKind,
    MeetingStatus,
    OutcomeReached,
    PreRead,
    PreReadReader,
)
from models.meeting_series import MeetingInput, MeetingSeries, MeetingSettings
from models.outbox import Delivery, DeliveryState, FailureNotice, SendHold
from models.outcome import Direction, Metric, MetricKind, Outcome, OutcomeStatus
from models.playbook import Playbook, PlaybookKind, PlaybookVersion
from models.playbook_run import PlaybookRun, RunEvent, RunEventKind, RunStatus, RunStep, StepStatus
from models.priority import Priority
from models.progress import MetricReading, ProgressSource, ProgressUpdate
from models.ref_counter import RefCounter
from models.slack_event import SlackEvent
from models.slack_oauth import slack_bots, slack_installations, slack_oauth_states
from models.web import ApiToken, ChannelName, WebLink, WebSession
from models.workspace import Person, Workspace

__all__ = [
    "Action",
    "ActionEvent",
    "ActionEventKind",
    "ActionStatus",
    "AgendaItem",
    "AnswerSource",
    "ApiToken",
    "Attendee",
    "AttendeeRole",
    "AttentionSettings",
    "Audience",
    "Base",
    "Cadence",
    "CadenceMember",
    "ChangeKind",
    "ChangeStatus",
    "ChannelEscalationDefault",
    "Decision",
    "DecisionEvent",
    "DecisionEventKind",
    "DecisionMember",
    "DecisionRole",
    "DecisionStatus",
    "Delivery",
    "DeliveryState",
    "Direction",
    "EscalationLevel",
    "EscalationPolicy",
    "Experiment",
    "ExperimentResult",
    "FailureNotice",
    "HealthFinding",
    "HealthSettings",
    "Insight",
    "Invite",
    "ItemKind",
    "ItemOutcome",
    "Meeting",
    "MeetingEvent",
    "MeetingEventKind",
    "MeetingInput",
    "MeetingKind",
    "MeetingSeries",
    "MeetingSettings",
    "MeetingStatus",
    "Metric",
    "MetricKind",
    "MetricReading",
    "Outcome",
    "OutcomeReached",
    "OutcomeStatus",
    "Person",
    "Playbook",
    "PlaybookKind",
    "PlaybookRun",
    "PlaybookVersion",
    "PreRead",
    "PreReadReader",
    "Priority",
    "ProgressSource",
    "ProgressUpdate",
    "ProposedChange",
    "RefCounter",
    "Retro",
    "RetroStatus",
    "Round",
    "RunEvent",
    "RunEventKind",
    "RunStatus",
    "RunStep",
    "SendHold",
    "SlackEvent",
    "SourceKind",
    "StepStatus",
    "WebLink",
    "ChannelName",
    "WebSession",
    "Workspace",
    "ZoneMode",
    "slack_bots",
    "slack_installations",
    "slack_oauth_states",
]
