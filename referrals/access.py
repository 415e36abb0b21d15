"""Who may do what with people's records: checked inside every action, whatever the UI shows.

Roles are the directory's (gp, link_worker, curator, admin) plus `system`, the role of
`SYSTEM_USER`, the identity the command line acts as. Nobody can sign in as `system`
(`accounts.add_user` accepts only the four roles); it runs the operator's jobs (import, export,
erasure, retention, handover) and, like an admin, never reads a person's record or notes: whoever
holds the shell holds the database file anyway, and the audit trail still records what it did.

Scope on top of role: a link worker sees the people assigned to her or to her team (and new,
unassigned referrals in the inbox); a GP sees only the referrals her practice made, and never
notes. Curators see no person at all, only per-listing figures.
"""

from __future__ import annotations

from collections.abc import Mapping

from directory.accounts import PermissionDenied, User

SYSTEM_USER = User("signpost-cli", "system")

LW, GP, CURATOR, ADMIN, SYSTEM = "link_worker", "gp", "curator", "admin", "system"

PERMISSIONS: Mapping[str, frozenset[str]] = {
    "refer_from_preview": frozenset({GP}),
    "import_referrals": frozenset({ADMIN, SYSTEM}),
    "export_referrals": frozenset({ADMIN, SYSTEM}),
    "record_person": frozenset({LW}),
    "view_person": frozenset({LW}),
    "practice_referrals": frozenset({GP}),
    "inbox": frozenset({LW}),
    "accept_referral": frozenset({LW}),
    "reject_referral": frozenset({LW}),
    "set_status": frozenset({LW}),
    "refer_to_listing": frozenset({LW}),
    "update_onward": frozenset({LW}),
    "add_note": frozenset({LW}),
    "record_contact": frozenset({LW}),
    "schedule_contact": frozenset({LW}),
    "record_outcome": frozenset({LW}),
    "worklist": frozenset({LW}),
    "handover": frozenset({LW, ADMIN, SYSTEM}),
    "gp_letter": frozenset({LW, GP}),
    "listing_outcomes": frozenset({LW, CURATOR, ADMIN, SYSTEM}),
    "erase_person": frozenset({ADMIN, SYSTEM}),
    "purge_expired": frozenset({ADMIN, SYSTEM}),
    "view_audit": frozenset({ADMIN, SYSTEM}),
    "assign_staff": frozenset({ADMIN, SYSTEM}),
}
ACTIONS: tuple[str, ...] = tuple(PERMISSIONS)


def allowed(actor: User, action: str) -> bool:
    return actor.role in PERMISSIONS[action]


def require(actor: User, action: str) -> None:
    """Raise PermissionDenied (naming the user and action, nothing about a person) unless allowed."""
    if not isinstance(actor, User):
        raise PermissionDenied(f"{action} needs a signed-in user")
    if not allowed(actor, action):
        raise PermissionDenied(f"{actor.username} ({actor.role}) may not {action.replace('_', ' ')}")


def sees_person(actor: User, actor_team: str | None, link_worker: str | None, team: str | None) -> bool:
    """A link worker's caseload: her own people, her team's, and nobody's yet (new referrals)."""
    if actor.role != LW:
        return False
    if link_worker == actor.username:
        return True
    if team is not None and team == actor_team:
        return True
    return link_worker is None and team is None


def sees_referral(actor: User, actor_practice: str | None, practice: str | None) -> bool:
    """A GP sees a referral only when her practice made it."""
    return actor.role == GP and practice is not None and practice == actor_practice
