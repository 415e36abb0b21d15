"""A practice system's referral, as a FHIR R4 Bundle (contract section 6, "Import").

The bundle is validated by the maintained R4B models of `fhir.resources` first, then against the
contract: one Patient with a valid NHS number, a name and a birth date; one ServiceRequest for
social prescribing (SNOMED CT 871731000000106) about that Patient, with the sender's identifier,
authoredOn and a requester. Any problem is an InputError naming the place in the file, with no
value from it, and nothing is written.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import pydantic
import sqlalchemy as sa
from fhir.resources.R4B.bundle import Bundle

from directory.accounts import User
from directory.languages import LANGUAGE_NAMES
from directory.records import InputError
from directory.store import Store, now_iso

from . import access, audit, jsonread, nhs, schema
from .intake import Intake, store_intake
from .jsonread import PathIssue, fail, issue, join
from .records import SNOMED, SOCIAL_PRESCRIBING_REFERRAL, ImportResult

BUNDLE_TYPES = ("transaction", "message", "collection")
ALLOWED_RESOURCES = ("Patient", "ServiceRequest", "Practitioner", "PractitionerRole", "Organization", "Condition")
REQUESTERS = ("Practitioner", "PractitionerRole")
ODS_SYSTEM = "https://fhir.nhs.uk/Id/ods-organization-code"
KEPT_PATIENT_FIELDS = ("name", "birthDate", "gender", "address", "telecom", "communication")

_TYPE_WORDS = {"string": "text", "int": "a whole number", "bool": "true or false", "list": "a list",
               "dict": "an object", "model": "an object", "float": "a number", "decimal": "a number",
               "date": "a date", "datetime": "a date and time"}


def _loc(loc: tuple) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path = join(path, part)
        elif part != "root" and "[" not in str(part):
            path = join(path, str(part))
    return path


def _message(error: dict[str, Any]) -> str:
    """What is wrong, from pydantic's error type only: its text can quote the value."""
    kind = str(error.get("type", ""))
    if kind.endswith("missing"):
        return "is required"
    if kind == "extra_forbidden":
        return "is not an element FHIR R4 defines here"
    if kind.endswith("_type") or kind.endswith("_parsing"):
        word = _TYPE_WORDS.get(kind.split("_")[0])
        return f"must be {word}" if word else "has the wrong type"
    if kind in ("string_pattern_mismatch", "value_error") or kind.startswith("date"):
        return "is not in the form FHIR R4 requires"
    if kind == "model_validation_format":
        return "must be an object"
    return f"is not valid FHIR R4 ({kind or 'invalid'})"


def _validate_fhir(doc: Any) -> None:
    if not isinstance(doc, dict):
        raise fail("", "must be a JSON object (a FHIR Bundle)")
    if doc.get("resourceType") != "Bundle":
        raise fail("resourceType", "must be Bundle")
    entries = doc.get("entry")
    if isinstance(entries, list):  # fhir.resources fails on an unknown resourceType with a KeyError
        for i, entry in enumerate(entries):
            resource = entry.get("resource") if isinstance(entry, dict) else None
            if isinstance(resource, dict) and resource.get("resourceType") not in ALLOWED_RESOURCES:
                raise fail(f"entry[{i}].resource.resourceType", "must be one of " + ", ".join(ALLOWED_RESOURCES))
    try:
        Bundle.model_validate(doc)
    except pydantic.ValidationError as err:
        issues = [issue(_loc(e.get("loc", ())), _message(e)) for e in err.errors()[:50]]
        raise InputError(list(dict.fromkeys(issues))) from None
    except (KeyError, TypeError, ValueError, RecursionError):  # a contained resource of unknown type, ...
        raise fail("", "is not a FHIR R4 Bundle the R4B models can read") from None


@dataclass
class _Entry:
    index: int
    kind: str
    resource: dict[str, Any]
    refs: list[str]  # the ways a reference can name it: fullUrl, Type/id

    @property
    def path(self) -> str:
        return f"entry[{self.index}].resource"


def _entries(doc: dict[str, Any]) -> list[_Entry]:
    out = []
    full_urls: dict[str, int] = {}
    for i, entry in enumerate(doc.get("entry") or []):
        resource = entry.get("resource")
        if resource is None:
            continue
        refs = []
        if entry.get("fullUrl"):
            url = entry["fullUrl"]
            if url in full_urls:
                raise fail(f"entry[{i}].fullUrl", f"is the same as entry[{full_urls[url]}].fullUrl")
            full_urls[url] = i
            refs.append(url)
        if resource.get("id"):
            refs.append(f"{resource['resourceType']}/{resource['id']}")
        out.append(_Entry(i, resource["resourceType"], resource, refs))
    return out


def _duplicate_identifiers(entries: list[_Entry]) -> None:
    seen: dict[tuple[str, str], str] = {}
    for e in entries:
        for j, ident in enumerate(e.resource.get("identifier") or []):
            key = (ident.get("system") or "", ident.get("value") or "")
            if not key[1]:
                continue
            where = f"{e.path}.identifier[{j}]"
            if key in seen:
                raise fail(where, f"duplicates the identifier at {seen[key]}")
            seen[key] = where


def _one(entries: list[_Entry], kind: str) -> _Entry:
    found = [e for e in entries if e.kind == kind]
    if not found:
        raise fail("entry", f"holds no {kind}: a referral bundle holds one")
    if len(found) > 1:
        raise fail(found[1].path, f"is a second {kind}: a referral bundle holds one")
    return found[0]


def _nhs_number(patient: _Entry) -> str:
    found = [(j, i) for j, i in enumerate(patient.resource.get("identifier") or [])
             if i.get("system") == nhs.NHS_NUMBER_SYSTEM]
    if not found:
        raise fail(f"{patient.path}.identifier", f"has no NHS number (system {nhs.NHS_NUMBER_SYSTEM})")
    j, ident = found[0]
    value = ident.get("value") or ""
    if not nhs.is_valid(value):
        raise fail(f"{patient.path}.identifier[{j}].value",
                   "is not a valid NHS number (10 digits whose last is the modulus-11 check digit)")
    return nhs.normalise(value)


def _patient(patient: _Entry) -> tuple[str, dict[str, Any]]:
    number = _nhs_number(patient)
    r = patient.resource
    if not r.get("name"):
        raise fail(f"{patient.path}.name", "is required")
    if not r.get("birthDate"):
        raise fail(f"{patient.path}.birthDate", "is required")
    for k, comm in enumerate(r.get("communication") or []):
        for c, coding in enumerate(comm.get("language", {}).get("coding") or []):
            primary = str(coding.get("code") or "").split("-")[0]
            if primary not in LANGUAGE_NAMES:
                raise fail(f"{patient.path}.communication[{k}].language.coding[{c}].code",
                           "is not an ISO 639-1 language code")
    return number, {k: r[k] for k in KEPT_PATIENT_FIELDS if r.get(k)}


def _resolve(entries: list[_Entry], reference: str | None) -> _Entry | None:
    return next((e for e in entries if reference and reference in e.refs), None)


def _request(sr: _Entry, patient: _Entry, entries: list[_Entry]) -> tuple[str, str, str]:
    """The ServiceRequest's own checks; returns (identifier system, value, requester)."""
    r, p = sr.resource, sr.path
    if r.get("status") != "active":
        raise fail(f"{p}.status", "must be active")
    if r.get("intent") != "order":
        raise fail(f"{p}.intent", "must be order")
    subject = (r.get("subject") or {}).get("reference")
    if not subject:
        raise fail(f"{p}.subject.reference", "is required: the Patient this referral is about")
    if _resolve(entries, subject) is not patient:
        raise fail(f"{p}.subject.reference", "does not point at the Patient in this bundle")
    codings = (r.get("code") or {}).get("coding") or []
    if not any(c.get("system") == SNOMED and c.get("code") == SOCIAL_PRESCRIBING_REFERRAL[0] for c in codings):
        raise fail(f"{p}.code", f"must be SNOMED CT {SOCIAL_PRESCRIBING_REFERRAL[0]} "
                                f"({SOCIAL_PRESCRIBING_REFERRAL[1]})")
    ident = next((i for i in r.get("identifier") or [] if i.get("system") and i.get("value")), None)
    if ident is None:
        raise fail(f"{p}.identifier", "is required: the sender's referral id, with system and value")
    if not r.get("authoredOn"):
        raise fail(f"{p}.authoredOn", "is required")
    requester = r.get("requester") or {}
    target = _resolve(entries, requester.get("reference"))
    kind = target.kind if target else (requester.get("type") or str(requester.get("reference", "")).split("/")[0])
    if kind not in REQUESTERS:
        raise fail(f"{p}.requester", "must point at a Practitioner or PractitionerRole")
    for k, ref in enumerate(r.get("reasonReference") or []):
        found = _resolve(entries, ref.get("reference"))
        if found is not None and found.kind != "Condition":
            raise fail(f"{p}.reasonReference[{k}]", "must point at a Condition")
    return ident["system"], ident["value"], _requester_name(target, requester)


def _requester_name(target: _Entry | None, requester: dict[str, Any]) -> str:
    if requester.get("display"):
        return str(requester["display"])[:200]
    if target is not None and target.kind == "Practitioner" and target.resource.get("name"):
        name = target.resource["name"][0]
        text = name.get("text") or " ".join([*name.get("prefix", []), *name.get("given", []), name.get("family", "")])
        return text.strip()[:200] or "a practitioner"
    return "a practitioner"


def _practice(entries: list[_Entry]) -> str | None:
    for e in entries:
        if e.kind == "Organization":
            for ident in e.resource.get("identifier") or []:
                if ident.get("system") == ODS_SYSTEM and ident.get("value"):
                    return str(ident["value"])[:20]
    return None


def read_bundle(source: bytes | str | os.PathLike) -> tuple[Intake, str]:
    """A referral bundle as the intake it becomes (nothing written), and where its identifier is."""
    doc = jsonread.parse(jsonread.read_bytes(source))
    _validate_fhir(doc)
    if doc.get("type") not in BUNDLE_TYPES:
        raise fail("type", "must be transaction, message or collection")
    entries = _entries(doc)
    _duplicate_identifiers(entries)
    patient = _one(entries, "Patient")
    sr = _one(entries, "ServiceRequest")
    number, demographics = _patient(patient)
    system, value, requester = _request(sr, patient, entries)
    related = [{"refs": e.refs, "resource": e.resource} for e in entries if e.kind not in ("Patient", "ServiceRequest")]
    intake = Intake(
        nhs_number=number, demographics=demographics, source_system=system, source_value=value,
        requester=requester, request=sr.resource, authored_on=str(sr.resource["authoredOn"]),
        practice=_practice(entries), related=related, patient_refs=patient.refs,
    )
    return intake, f"{sr.path}.identifier"


def import_bundle(store: Store, source: bytes | str | os.PathLike, actor: User) -> ImportResult:
    """Import one referral bundle: the person's record (found by NHS number or created) and an
    incoming referral waiting for a link worker. Re-importing the same ServiceRequest writes
    nothing; any problem is an InputError and writes nothing either."""
    access.require(actor, "import_referrals")
    intake, where = read_bundle(source)
    schema.ensure(store, create=True)
    try:
        return _store(store, intake, actor, where)
    except sa.exc.IntegrityError:  # another process imported this referral or person at the same moment:
        return _store(store, intake, actor, where)  # now it is found, and nothing is written twice


def _store(store: Store, intake: Intake, actor: User, where: str) -> ImportResult:
    at = now_iso()
    with store.engine.begin() as conn:
        result = store_intake(conn, intake, actor, at, where=where)
        if result.created:
            audit.write(conn, actor, "import_referrals", audit.person_subject(result.person_id),
                        {"referral": result.referral_id}, at)
    return result


__all__ = ["PathIssue", "import_bundle", "read_bundle"]
