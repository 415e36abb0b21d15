"""The GP's side: "Refer to the link worker service" from the preview, and the referrals her
practice made with how far they have got (never notes, never other practices' referrals)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from directory.accounts import User
from directory.records import DOMAINS, InputError, ValidationIssue
from directory.store import Store, now_iso

from . import access, audit, nhs, schema, staff
from .cases import demographics_from_form
from .intake import Intake, store_intake
from .records import SNOMED, SOCIAL_PRESCRIBING_REFERRAL, ImportResult, PracticeReferral, display_name

PREVIEW_REFERRAL_SYSTEM = "urn:signpost:gp-preview"
MAX_WORDS = 5000


def _issue(column: str, message: str) -> InputError:
    return InputError([ValidationIssue(None, column, message)])


def _needs(needs: dict[str, Any]) -> dict[str, int]:
    out = {}
    for key, value in (needs or {}).items():
        if key not in DOMAINS:
            raise _issue("needs", f"'{str(key)[:40]}' is not a needs domain")
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 10:
            raise _issue("needs", f"{key} must be a whole number from 1 to 10")
        out[key] = value
    return out


def refer_from_preview(store: Store, actor: User, *, nhs_number: str, name: str, birth_date: str,
                       needs: dict[str, Any], conditions: Sequence[str] = (), options: Sequence[dict] = (),
                       words: str = "", gender: str | None = None, postcode: str | None = None) -> ImportResult:
    """Send what the GP saw (needs, conditions, the options shown, her words) as an incoming referral.

    `options` are the preview's results as `{"listing_id": ..., "name": ...}`.
    """
    access.require(actor, "refer_from_preview")
    if not nhs.is_valid(nhs_number):
        raise _issue("nhs_number", "is not a valid NHS number (10 digits with a valid check digit)")
    if not birth_date:
        raise _issue("birth_date", "is required")
    if len(words) > MAX_WORDS:
        raise _issue("words", f"at most {MAX_WORDS} characters")
    demographics = demographics_from_form(name, birth_date, gender, postcode)
    clean_needs = _needs(needs)
    shown = [{"listing_id": str(o.get("listing_id", ""))[:128], "name": str(o.get("name", ""))[:300]}
             for o in options]
    at = now_iso()
    code, display = SOCIAL_PRESCRIBING_REFERRAL
    value = str(uuid.uuid4())
    request: dict[str, Any] = {
        "resourceType": "ServiceRequest", "status": "active", "intent": "order",
        "identifier": [{"system": PREVIEW_REFERRAL_SYSTEM, "value": value}],
        "code": {"coding": [{"system": SNOMED, "code": code, "display": display}]},
        "authoredOn": at, "requester": {"display": actor.username},
        "reasonCode": [{"text": str(c)[:200]} for c in conditions if str(c).strip()],
    }
    if words.strip():
        request["note"] = [{"text": words.strip()}]
    schema.ensure(store, create=True)
    with store.engine.begin() as conn:
        practice = staff.placement(conn, actor.username).practice
        if practice is None:
            raise _issue("practice", "your account is not linked to a practice: ask an admin to link it")
        intake = Intake(
            nhs_number=nhs.normalise(nhs_number), demographics=demographics, needs=clean_needs,
            source_system=PREVIEW_REFERRAL_SYSTEM, source_value=value, requester=actor.username,
            request=request, authored_on=at, practice=practice, preview={"options": shown},
        )
        result = store_intake(conn, intake, actor, at)
        audit.write(conn, actor, "refer_from_preview", audit.person_subject(result.person_id),
                    {"referral": result.referral_id}, at)
    return result


def practice_referrals(store: Store, actor: User) -> list[PracticeReferral]:
    """The referrals this GP's practice made, newest first, with their status; each view audited."""
    access.require(actor, "practice_referrals")
    if not schema.ensure(store):
        return []
    i, p, o = schema.incoming, schema.people, schema.onward
    with store.engine.begin() as conn:
        practice = staff.placement(conn, actor.username).practice
        rows = [] if practice is None else conn.execute(
            sa.select(i.c.id, i.c.person_id, i.c.practice, i.c.authored_on, i.c.status, i.c.status_reason,
                      p.c.demographics, p.c.nhs_number)
            .join(p, p.c.id == i.c.person_id).where(i.c.practice == practice)
            .order_by(i.c.authored_on.desc(), i.c.id.desc())
        ).all()
        out = []
        for r in rows:
            if not access.sees_referral(actor, practice, r.practice):
                continue
            onward = conn.execute(sa.select(o.c.listing_name, o.c.status).where(o.c.incoming_id == r.id)
                                  .order_by(o.c.id)).all()
            out.append(PracticeReferral(r.id, display_name(json.loads(r.demographics)), r.nhs_number,
                                        r.authored_on, r.status, r.status_reason,
                                        [(x.listing_name, x.status) for x in onward]))
            audit.write(conn, actor, "view_referral", audit.person_subject(r.person_id), {"referral": r.id})
        audit.write(conn, actor, "practice_referrals", None, {"shown": len(out)})
    return out
