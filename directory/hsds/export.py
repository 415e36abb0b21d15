"""Listings as HSDS 3.0 services: one service per listing (id = the listing id, so that ids survive
the round trip; nested objects get UUIDs derived from it), Signpost's own facts as attributes in
`signpost_*` taxonomies, so that reading the export back gives the same listings."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterable
from typing import Any

from .. import csv_io
from .. import support_types as support_vocab
from ..languages import language_name
from ..records import DOMAIN_LABELS, Resource
from .schema import is_email, is_uri

_NS = uuid.UUID("6f1c2d9e-4b7a-5c3e-9a1f-2d8e7b6c5a40")  # namespace of ids Signpost derives on export
_COST_WORDS = {"free": "Free", "low_cost": "Low cost", "paid": "There is a charge"}


def _uid(*parts: str) -> str:
    return str(uuid.uuid5(_NS, "\x1f".join(parts)))


def _attribute(sid: str, taxonomy: str, code: str, name: str, description: str, value: str | None = None) -> dict:
    term_id = _uid("term", taxonomy, code)
    attr: dict[str, Any] = {
        "id": _uid(sid, "attribute", taxonomy, code),
        "taxonomy_term_id": term_id,
        "link_type": "service",
        "link_entity": "service",
    }
    if value is not None:
        attr["value"] = value
    attr["taxonomy_term"] = {"id": term_id, "code": code, "name": name, "description": description, "taxonomy": taxonomy}
    return attr


def _physical_location(r: Resource) -> dict:
    """The listing's venue; without coordinates while it is unplaced (inactive): import reads that
    back as the same unplaced, inactive listing."""
    sid = r.id
    location: dict[str, Any] = {"id": _uid(sid, "location"), "location_type": "physical"}
    if r.address:
        location["name"] = r.address
    if r.latitude is not None:
        location.update(latitude=r.latitude, longitude=r.longitude)
    if r.address or r.postcode:
        location["addresses"] = [{"id": _uid(sid, "address"), "address_1": r.address, "city": "",
                                  "state_province": "", "postal_code": r.postcode, "country": "GB",
                                  "address_type": "physical"}]
    if r.wheelchair_accessible is not None:
        location["accessibility"] = [{"id": _uid(sid, "accessibility"), "description":
                                      "Wheelchair accessible" if r.wheelchair_accessible else "Not wheelchair accessible"}]
    return {"id": _uid(sid, "service_at_location"), "location_id": location["id"], "location": location}


def _service_at_locations(r: Resource) -> list[dict]:
    sals = []
    if "in_person" in r.delivery or r.latitude is not None or r.address or r.postcode or \
            r.wheelchair_accessible is not None:
        sals.append(_physical_location(r))
    if "online" in r.delivery:
        location = {"id": _uid(r.id, "online"), "location_type": "virtual", "name": "Online"}
        if is_uri(r.website):
            location["url"] = r.website
        sals.append({"id": _uid(r.id, "service_at_location", "online"), "location_id": location["id"],
                     "location": location})
    return sals


def _attributes(r: Resource) -> list[dict]:
    sid = r.id
    attrs = [_attribute(sid, "signpost_delivery", m, m.replace("_", " ").capitalize(),
                        "How people take part (Signpost delivery mode)") for m in r.delivery]
    attrs += [_attribute(sid, "signpost_domains", d, DOMAIN_LABELS[d].capitalize(),
                         "A needs domain this meets (Signpost)") for d in r.domains]
    if r.cost:
        attrs.append(_attribute(sid, "signpost_cost", r.cost, _COST_WORDS[r.cost], "What it costs (Signpost)"))
    if r.gender:
        code = "women-only" if r.gender == "female" else "men-only"
        attrs.append(_attribute(sid, "signpost_eligibility", code, code.replace("-", " ").capitalize(),
                                "Open to one gender only (Signpost)"))
    attrs += [_attribute(sid, "signpost_categories", c, c, "A curator's tag (Signpost)") for c in r.categories]
    attrs += [{"id": _uid(sid, "attribute", term["taxonomy"], term["code"]), "taxonomy_term_id": term["id"],
               "link_type": "service", "link_entity": "service", "taxonomy_term": term}
              for term in support_vocab.to_hsds_terms(r.support_types)]
    # A website or email the schema's formats would refuse ("example.org") is kept as text.
    attrs += [_attribute(sid, "signpost_contact", key, key.capitalize(), "Contact text that is not a URI or an email "
                         "address (Signpost)", value)
              for key, value, ok in (("website", r.website, is_uri), ("email", r.email, is_email))
              if value and not ok(value)]
    attrs += [_attribute(sid, "signpost_extra", k, k, "A column of the source the contract does not name", v)
              for k, v in sorted(r.extra.items())]
    return attrs


def _facts(r: Resource, obj: dict[str, Any]) -> None:
    """The service's own fields, in the order HSDS lists them."""
    sid = r.id
    if is_uri(r.website):
        obj["url"] = r.website
    if is_email(r.email):
        obj["email"] = r.email
    obj["status"] = r.status
    if r.interpreter_available:
        obj["interpretation_services"] = "Interpreters are available."
    if r.cost:
        obj["fees_description"] = _COST_WORDS[r.cost]
    if r.gender:
        obj["eligibility_description"] = "Women only" if r.gender == "female" else "Men only"
    if r.min_age is not None:
        obj["minimum_age"] = r.min_age
    if r.max_age is not None:
        obj["maximum_age"] = r.max_age
    if r.last_verified:
        obj["assured_date"] = r.last_verified.isoformat()
    if r.phone:
        obj["phones"] = [{"id": _uid(sid, "phone"), "number": r.phone}]
    if r.schedule:
        obj["schedules"] = [{"id": _uid(sid, "schedule"), "description": r.schedule}]


def _service_object(r: Resource) -> dict:
    sid = r.id
    obj: dict[str, Any] = {"id": sid}
    org_id = _uid(sid, "organization") if r.organisation else None
    if org_id:
        obj["organization_id"] = org_id
    obj.update(name=r.name, description=r.description)
    _facts(r, obj)
    sals = _service_at_locations(r)
    if sals:
        obj["service_at_locations"] = sals
    obj["languages"] = [{"id": _uid(sid, "language", code), "name": language_name(code), "code": code}
                        for code in r.languages]
    if r.organisation:
        obj["organization"] = {"id": org_id, "name": r.organisation, "description": ""}
    if r.cost == "free":
        obj["cost_options"] = [{"id": _uid(sid, "cost_option"), "option": "Free", "currency": "GBP", "amount": 0}]
    obj["attributes"] = _attributes(r)
    return obj


def to_hsds(resources: Iterable[Resource]) -> list[dict]:
    """HSDS 3.0 service objects for listings, sorted by id."""
    return [_service_object(r) for r in sorted(resources, key=lambda r: r.id)]


def to_json_bytes(resources: Iterable[Resource]) -> bytes:
    """The export file's bytes: the same listings always give the same bytes."""
    return (json.dumps(to_hsds(resources), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def write_json(resources: Iterable[Resource], path: str | os.PathLike) -> None:
    """Write listings as a JSON list of HSDS 3.0 services (atomically). Nothing is neutralised:
    JSON is not opened by spreadsheets."""
    csv_io.atomic_write(path, to_json_bytes(resources))
