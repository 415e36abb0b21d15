"""What a person's record holds, as plain values, and the Task status rules (contract section 6)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

# The Gravity referral Task value set: FHIR TaskStatus without `ready` and `received`
# (HL7 fhir-sdoh-clinicalcare, ValueSet SDOHCC-ValueSetReferralTaskStatus).
TASK_STATUSES: tuple[str, ...] = (
    "draft", "requested", "accepted", "rejected", "cancelled", "in-progress", "on-hold", "failed",
    "completed", "entered-in-error",
)
REASON_REQUIRED = frozenset({"rejected", "cancelled", "on-hold", "failed"})  # contract section 6
CLOSED_STATUSES = frozenset({"rejected", "cancelled", "failed", "completed", "entered-in-error"})

# Which status may follow which. Any status may become entered-in-error (a mistake, corrected);
# a closed Task stays closed: a new referral is a new Task.
NEXT_STATUSES: dict[str, frozenset[str]] = {
    "draft": frozenset({"requested", "cancelled"}),
    "requested": frozenset({"accepted", "rejected", "cancelled"}),
    "accepted": frozenset({"in-progress", "on-hold", "completed", "cancelled", "failed"}),
    "in-progress": frozenset({"on-hold", "completed", "cancelled", "failed"}),
    "on-hold": frozenset({"in-progress", "accepted", "cancelled", "failed"}),
}

ONS4_QUESTIONS: dict[str, str] = {  # ONS personal well-being harmonised standard, each 0-10
    "life_satisfaction": "Overall, how satisfied are you with your life nowadays?",
    "worthwhile": "Overall, to what extent do you feel that the things you do in your life are worthwhile?",
    "happiness": "Overall, how happy did you feel yesterday?",
    "anxiety": "Overall, how anxious did you feel yesterday?",
}
OUTCOME_STAGES: tuple[str, ...] = ("start", "contact", "discharge")
CONTACT_METHODS: tuple[str, ...] = ("phone", "in_person", "video", "message", "letter")
NOT_CONTACTED_DAYS = 14  # the issue: "who has not been contacted in 2 weeks"

SOCIAL_PRESCRIBING_REFERRAL = ("871731000000106", "Referral to social prescribing service")
SOCIAL_PRESCRIBING_DECLINED = ("871711000000103", "Social prescribing declined")
SNOMED = "http://snomed.info/sct"


@dataclass(frozen=True)
class Consent:
    by: str
    at: str
    purpose: str


@dataclass(frozen=True)
class HistoryEntry:
    kind: str  # incoming | onward | person
    target_id: int
    field: str
    old: str | None
    new: str | None
    reason: str | None
    actor: str
    at: str


@dataclass(frozen=True)
class Note:
    id: int
    author: str
    at: str
    text: str


@dataclass(frozen=True)
class Contact:
    day: dt.date
    method: str
    by: str


@dataclass(frozen=True)
class Outcome:
    id: int
    incoming_id: int
    stage: str
    day: dt.date
    ons4: dict[str, int]
    needs: dict[str, int]
    by: str


@dataclass(frozen=True)
class OnwardReferral:
    id: int
    incoming_id: int
    listing_id: str
    listing_name: str
    need: str | None
    status: str
    status_reason: str | None
    attended: bool
    first_contact_on: dt.date | None
    created_by: str
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class IncomingReferral:
    id: int
    person_id: int
    source_system: str
    source_value: str
    practice: str | None
    requester: str
    status: str
    status_reason: str | None
    declined: bool
    authored_on: str
    received_at: str
    updated_at: str
    reasons: list[str]
    note: str
    preview: dict[str, Any] | None


@dataclass(frozen=True)
class Person:
    """The whole record, as a link worker on the case sees it."""

    id: int
    nhs_number: str | None
    name: str
    birth_date: str | None
    demographics: dict[str, Any]
    needs: dict[str, Any]
    consent: Consent | None
    link_worker: str | None
    team: str | None
    status: str
    next_contact_on: dt.date | None
    last_contact_on: dt.date | None
    created_at: str
    closed_at: str | None
    referrals: list[IncomingReferral] = field(default_factory=list)
    onward: list[OnwardReferral] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    history: list[HistoryEntry] = field(default_factory=list)


@dataclass(frozen=True)
class InboxItem:
    referral_id: int
    person_id: int
    name: str
    received_at: str
    requester: str
    reasons: list[str]
    note: str


@dataclass(frozen=True)
class CaseSummary:
    person_id: int
    name: str
    link_worker: str | None
    next_contact_on: dt.date | None
    last_contact_on: dt.date | None
    waiting_on_provider: int  # onward referrals a provider has not answered yet


@dataclass(frozen=True)
class Worklist:
    due_today: list[CaseSummary]
    overdue: list[CaseSummary]
    not_contacted: list[CaseSummary]  # no contact in NOT_CONTACTED_DAYS
    waiting_on_provider: list[CaseSummary]


@dataclass(frozen=True)
class PracticeReferral:
    """What a GP sees of a referral her practice made: who, when, how far it has got. No notes."""

    referral_id: int
    name: str
    nhs_number: str | None
    authored_on: str
    status: str
    status_reason: str | None
    onward: list[tuple[str, str]]  # (listing name, status)


@dataclass(frozen=True)
class ImportResult:
    person_id: int
    referral_id: int
    created: bool  # False: this ServiceRequest was imported before and nothing changed


def display_name(demographics: dict[str, Any]) -> str:
    """The name a page shows: the first HumanName's text, else its given and family names."""
    names = demographics.get("name") or []
    if not names:
        return "(no name)"
    first = names[0]
    if first.get("text"):
        return str(first["text"])
    parts = [*first.get("given", []), first.get("family", "")]
    return " ".join(p for p in parts if p) or "(no name)"
