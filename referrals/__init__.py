"""People who were referred: the record kept on consent, referrals and their Tasks, outcomes,
FHIR R4 in and out, erasure and retention (DESIGN.md "Layers": uses `directory/` storage and
listing ids, never the matcher).

Every action takes the `Store` and the acting `directory.accounts.User`; the command line acts as
`SYSTEM_USER` (see `referrals.access`).
"""

from .access import ACTIONS, PERMISSIONS, SYSTEM_USER
from .audit import AuditRecord, trail, viewers
from .cases import (
    accept_referral,
    add_note,
    demographics_from_form,
    handover,
    inbox,
    record_contact,
    record_person,
    refer_to_listing,
    reject_referral,
    schedule_contact,
    set_status,
    update_onward,
    view_person,
)
from .erase import (
    DEFAULT_RETENTION_DAYS,
    PurgeReport,
    erase_person,
    erase_record,
    purge_expired,
    retention_days,
)
from .fhir_in import import_bundle, read_bundle
from .fhir_out import export_bundle, write_bundle
from .gp import practice_referrals, refer_from_preview
from .letters import gp_letter
from .outcomes import ListingOutcome, listing_outcomes, outcome_labels, record_outcome
from .records import (
    TASK_STATUSES,
    CaseSummary,
    ImportResult,
    InboxItem,
    Person,
    PracticeReferral,
    Worklist,
)
from .schema import REFERRAL_SCHEMA_VERSION
from .staff import assign_staff
from .worklist import caseload, worklist

__all__ = [
    "DEFAULT_RETENTION_DAYS", "PurgeReport", "erase_person", "erase_record", "export_bundle", "gp_letter",
    "import_bundle", "purge_expired", "read_bundle", "retention_days", "write_bundle",
    "ACTIONS", "PERMISSIONS", "REFERRAL_SCHEMA_VERSION", "SYSTEM_USER", "TASK_STATUSES",
    "AuditRecord", "CaseSummary", "ImportResult", "InboxItem", "ListingOutcome", "Person", "PracticeReferral",
    "Worklist",
    "accept_referral", "add_note", "assign_staff", "caseload", "demographics_from_form", "handover", "inbox",
    "listing_outcomes", "outcome_labels", "practice_referrals", "record_contact", "record_outcome",
    "record_person", "refer_from_preview", "refer_to_listing", "reject_referral", "schedule_contact",
    "set_status", "trail", "update_onward", "view_person", "viewers", "worklist",
]
