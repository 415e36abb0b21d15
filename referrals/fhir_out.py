"""Referrals out, as one FHIR R4 Bundle of type collection (contract section 6, "Export"): per
referral the Patient, the incoming ServiceRequest as received and its Task, each onward referral
to a listing (a ServiceRequest whose performer is a HealthcareService identified by the listing
id) and its Task, and the outcome measures as Observations. The bundle is validated by the
fhir.resources R4B models before it is returned."""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
import uuid
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from fhir.resources.R4B.bundle import Bundle

from directory.accounts import User
from directory.records import DOMAIN_LABELS, InputError, ValidationIssue
from directory.store import Store, now_iso

from . import access, audit, load, nhs, schema
from .records import (
    ONS4_QUESTIONS,
    SNOMED,
    SOCIAL_PRESCRIBING_DECLINED,
    SOCIAL_PRESCRIBING_REFERRAL,
    IncomingReferral,
    OnwardReferral,
    Outcome,
)

NAMESPACE = uuid.UUID("6f1d3c1e-3b7a-5d43-9a6e-5e4a5b2c9d10")  # fullUrls stay the same from export to export
LISTING_SYSTEM = "urn:signpost:listing"
ONWARD_SYSTEM = "urn:signpost:onward-referral"
TASK_SYSTEM = "urn:signpost:referral-task"
NEEDS_SYSTEM = "urn:signpost:needs-domain"
ONS4_SYSTEM = "urn:signpost:ons4"
OUTCOME_SYSTEM = "urn:signpost:outcome"
STAGE_SYSTEM = "urn:signpost:outcome-stage"
TASK_CODE = {"coding": [{"system": "http://hl7.org/fhir/CodeSystem/task-code", "code": "fulfill",
                         "display": "Fulfill the focal request"}]}
SURVEY = {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "survey"}]}
ONWARD_SR_STATUS = {"on-hold": "on-hold", "completed": "completed", "rejected": "revoked",
                    "cancelled": "revoked", "failed": "revoked", "entered-in-error": "entered-in-error"}


def full_url(key: str) -> str:
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, key)}"


def _ref(url: str, display: str | None = None) -> dict[str, str]:
    return {"reference": url, **({"display": display} if display else {})}


def _rewrite(value: Any, refs: dict[str, str]) -> Any:
    """A stored resource with its references renamed to this bundle's fullUrls."""
    if isinstance(value, dict):
        return {k: (refs.get(v, v) if k == "reference" and isinstance(v, str) else _rewrite(v, refs))
                for k, v in value.items()}
    if isinstance(value, list):
        return [_rewrite(v, refs) for v in value]
    return value


def _coded(pair: tuple[str, str]) -> dict[str, Any]:
    return {"coding": [{"system": SNOMED, "code": pair[0], "display": pair[1]}]}


def _patient(row: Any) -> dict[str, Any]:
    resource: dict[str, Any] = {"resourceType": "Patient"}
    if row.nhs_number:
        resource["identifier"] = [{"system": nhs.NHS_NUMBER_SYSTEM, "value": row.nhs_number}]
    resource.update(json.loads(row.demographics))
    return resource


def _task(status: str, reason: str | None, focus: str, patient: str, authored: str, modified: str,
          identifier: str, **more: Any) -> dict[str, Any]:
    task: dict[str, Any] = {
        "resourceType": "Task", "identifier": [{"system": TASK_SYSTEM, "value": identifier}],
        "status": status, "intent": "order", "code": TASK_CODE, "focus": _ref(focus), "for": _ref(patient),
        "authoredOn": authored, "lastModified": modified,
    }
    if reason:
        task["statusReason"] = {"text": reason}
    task.update({k: v for k, v in more.items() if v})
    return task


def _incoming_entries(row: Any, ref: IncomingReferral, patient_url: str, link_worker: str | None):
    related = json.loads(row.related)
    refs = {old: patient_url for old in related.get("patient_refs", [])}
    out = []
    for k, item in enumerate(related.get("entries", [])):
        url = full_url(f"incoming:{ref.id}:related:{k}")
        refs.update({old: url for old in item["refs"]})
        out.append((url, item["resource"]))
    request = _rewrite(json.loads(row.request), refs)
    request.setdefault("identifier", [{"system": ref.source_system, "value": ref.source_value}])
    request.setdefault("code", _coded(SOCIAL_PRESCRIBING_REFERRAL))
    request["subject"] = _ref(patient_url)
    request.setdefault("authoredOn", ref.authored_on)
    request.setdefault("requester", {"display": ref.requester})
    out = [(url, _rewrite(res, refs)) for url, res in out]
    sr_url = full_url(f"incoming:{ref.id}")
    out.append((sr_url, request))
    business = None
    if ref.declined:
        business = _coded(SOCIAL_PRESCRIBING_DECLINED)
    elif ref.status in ("accepted", "in-progress", "on-hold", "completed"):
        business = _coded(SOCIAL_PRESCRIBING_REFERRAL)
    task = _task(ref.status, ref.status_reason, sr_url, patient_url, ref.received_at, ref.updated_at,
                 f"incoming-{ref.id}", businessStatus=business,
                 owner={"display": link_worker} if link_worker else None)
    if ref.declined and ref.status_reason:
        task["statusReason"] = {**_coded(SOCIAL_PRESCRIBING_DECLINED), "text": ref.status_reason}
    out.append((full_url(f"incoming:{ref.id}:task"), task))
    return out, sr_url


def _onward_entries(o: OnwardReferral, sr_url: str, patient_url: str) -> list[tuple[str, dict[str, Any]]]:
    service_url = full_url(f"listing:{o.listing_id}")
    service = {"resourceType": "HealthcareService", "identifier": [{"system": LISTING_SYSTEM, "value": o.listing_id}],
               "name": o.listing_name}
    request: dict[str, Any] = {
        "resourceType": "ServiceRequest", "identifier": [{"system": ONWARD_SYSTEM, "value": str(o.id)}],
        "basedOn": [_ref(sr_url)], "status": ONWARD_SR_STATUS.get(o.status, "active"), "intent": "order",
        "code": {"text": f"Referral to {o.listing_name}"}, "subject": _ref(patient_url),
        "authoredOn": o.created_at, "requester": {"display": o.created_by},
        "performer": [_ref(service_url, o.listing_name)],
    }
    if o.need:
        request["reasonCode"] = [{"coding": [{"system": NEEDS_SYSTEM, "code": o.need}], "text": DOMAIN_LABELS[o.need]}]
    onward_url = full_url(f"onward:{o.id}")
    task = _task(o.status, o.status_reason, onward_url, patient_url, o.created_at, o.updated_at, f"onward-{o.id}",
                 owner=_ref(service_url, o.listing_name),
                 partOf=[_ref(full_url(f"incoming:{o.incoming_id}:task"))],
                 businessStatus={"text": "attended"} if o.attended else None,
                 executionPeriod={"start": o.first_contact_on.isoformat()} if o.first_contact_on else None)
    return [(service_url, service), (onward_url, request), (full_url(f"onward:{o.id}:task"), task)]


def _observation(o: Outcome, what: str, scores: dict[str, int], patient_url: str, sr_url: str) -> dict[str, Any]:
    if what == "ons4":
        code, label, system, names = "ons4", "ONS4 personal well-being (0-10)", ONS4_SYSTEM, ONS4_QUESTIONS
    else:
        code, label, system, names = "needs-rerated", "Needs re-rated (1-10)", NEEDS_SYSTEM, DOMAIN_LABELS
    return {
        "resourceType": "Observation", "identifier": [{"system": OUTCOME_SYSTEM, "value": f"{o.id}-{code}"}],
        "status": "final",
        "category": [SURVEY, {"coding": [{"system": STAGE_SYSTEM, "code": o.stage}]}],
        "code": {"coding": [{"system": OUTCOME_SYSTEM, "code": code, "display": label}], "text": label},
        "subject": _ref(patient_url), "basedOn": [_ref(sr_url)], "effectiveDateTime": o.day.isoformat(),
        "component": [{"code": {"coding": [{"system": system, "code": k, "display": names[k]}]}, "valueInteger": v}
                      for k, v in scores.items()],
    }


def _changed_since(conn, since: dt.date | None) -> list[int]:
    i = schema.incoming
    q = sa.select(i.c.id).order_by(i.c.id)
    if since is not None:
        day = since.isoformat()
        onward = sa.select(schema.onward.c.incoming_id).where(schema.onward.c.updated_at >= day)
        measured = sa.select(schema.outcomes.c.incoming_id).where(schema.outcomes.c.day >= day)
        q = q.where(sa.or_(i.c.updated_at >= day, i.c.id.in_(onward), i.c.id.in_(measured)))
    return list(conn.execute(q).scalars())


def _since(value: dt.date | str | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise InputError([ValidationIssue(None, "since", "is not a date (use YYYY-MM-DD)")]) from None


def export_bundle(store: Store, actor: User, since: dt.date | str | None = None) -> dict[str, Any]:
    """Every referral (changed on or after `since`, when given) as a validated FHIR R4 Bundle."""
    access.require(actor, "export_referrals")
    since = _since(since)
    bundle: dict[str, Any] = {"resourceType": "Bundle", "type": "collection", "timestamp": now_iso(), "entry": []}
    if not schema.ensure(store):
        Bundle.model_validate(bundle)
        return bundle
    entries: dict[str, dict[str, Any]] = {}
    with store.engine.begin() as conn:
        ids = _changed_since(conn, since)
        for rid in ids:
            row = conn.execute(sa.select(schema.incoming).where(schema.incoming.c.id == rid)).one()
            person = conn.execute(sa.select(schema.people).where(schema.people.c.id == row.person_id)).one()
            patient_url = full_url(f"person:{person.id}")
            entries.setdefault(patient_url, _patient(person))
            ref = load.incoming_record(row)
            made, sr_url = _incoming_entries(row, ref, patient_url, person.link_worker)
            onward = conn.execute(sa.select(schema.onward).where(schema.onward.c.incoming_id == rid)
                                  .order_by(schema.onward.c.id)).all()
            for o in onward:
                made += _onward_entries(load.onward_record(o), sr_url, patient_url)
            for r in conn.execute(sa.select(schema.outcomes).where(schema.outcomes.c.incoming_id == rid)
                                  .order_by(schema.outcomes.c.id)).all():
                outcome = load.outcome_record(r)
                for what, scores in (("ons4", outcome.ons4), ("needs", outcome.needs)):
                    if scores:
                        made.append((full_url(f"outcome:{outcome.id}:{what}"),
                                     _observation(outcome, what, scores, patient_url, sr_url)))
            for url, resource in made:
                entries.setdefault(url, resource)
        audit.write(conn, actor, "export_referrals", None, {"referrals": len(ids), "since": str(since or "")})
    bundle["entry"] = [{"fullUrl": url, "resource": resource} for url, resource in entries.items()]
    Bundle.model_validate(bundle)  # never hand out a bundle the R4B models refuse
    return bundle


def write_bundle(store: Store, path: str | os.PathLike, actor: User, since: dt.date | str | None = None) -> int:
    """`export_bundle` written to `path` (readable by its owner only, replaced whole or not at all);
    the number of entries. The file holds people's records: where it goes is the operator's choice."""
    doc = export_bundle(store, actor, since)
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or Path("."))
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(doc, out, ensure_ascii=False, indent=1)
        os.chmod(tmp, 0o600)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return len(doc["entry"])
