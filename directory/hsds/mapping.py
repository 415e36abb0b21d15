"""One HSDS service, with the objects joined to it, becomes listings (contract section 2): the
mapping of docs/hsds.md, "How a service becomes listings", field by field."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .. import support_types as support_vocab
from ..records import InputError, Loaded, Resource, ValidationIssue, validate_resource
from .places import PHYSICAL, Place, phones, places_of
from .schedules import schedule_text
from .values import Issues, date, items, languages_of, number, past_date, scalar_text, text, where_of, whole
from .wording import (
    EQUIVALENT_CURRENCIES,
    INACTIVE_STATUSES,
    ages_from_text,
    amount_level,
    highest_cost,
    offers_interpreter,
    says_call,
    term_gender,
    text_cost,
    text_genders,
)

# Which HSDS field a listing's field comes from, for issues the record itself finds.
_HSDS_FIELD = {
    "organisation": "organization", "website": "url", "phone": "phones", "min_age": "minimum_age",
    "max_age": "maximum_age", "last_verified": "assured_date", "domains": "attributes",
    "gender": "attributes", "cost": "attributes", "categories": "attributes", "extra": "attributes",
    "delivery": "service_at_locations", "schedule": "schedules",
    "interpreter_available": "interpretation_services", "address": "addresses",
    "postcode": "addresses", "wheelchair_accessible": "accessibility",
}

Origin = dict[str, tuple[str, str]]  # listing field -> (where, HSDS field) it was read from


@dataclass
class Service:
    """A service found in the input, with what surrounds it there."""

    obj: dict
    path: str
    org: dict | None = None
    org_path: str = ""
    sals: list[tuple[dict, str]] | None = None  # None: the service's own service_at_locations
    eligibility: list[dict] = field(default_factory=list)  # HSDS 1.1/2.0 eligibility rows
    english_implied: bool = False  # HSDS 1.1 languages are "languages other than English"


@dataclass
class _Attributes:
    """What a service's attributes say: Signpost's own taxonomies, gender terms, categories."""

    categories: list[str] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)
    delivery: list[str] = field(default_factory=list)
    cost: str | None = None
    genders: set[str] = field(default_factory=set)
    extra: dict[str, str] = field(default_factory=dict)
    contact: dict[str, str] = field(default_factory=dict)
    support_types: list[str] = field(default_factory=list)


def _attributes(s: dict, p: str, issues: Issues) -> _Attributes:
    out = _Attributes()
    terms: list[dict] = []
    for attr, _ in items(s, "attributes", p, issues):
        term = attr.get("taxonomy_term") if isinstance(attr.get("taxonomy_term"), dict) else {}
        detail = term.get("taxonomy_detail") if isinstance(term.get("taxonomy_detail"), dict) else {}
        taxonomy = (scalar_text(term.get("taxonomy")) or scalar_text(detail.get("name"))).lower()
        code, tname = scalar_text(term.get("code")), scalar_text(term.get("name"))
        terms.append(term)
        if taxonomy == support_vocab.SUPPORT_TYPE_TAXONOMY:
            continue  # read below, with the published terms a support type derives from
        if taxonomy == "signpost_domains":
            out.domains.append(code or tname)
        elif taxonomy == "signpost_delivery":
            out.delivery.append(code or tname)
        elif taxonomy == "signpost_cost":
            out.cost = code or tname
        elif taxonomy == "signpost_extra":
            if code:
                out.extra[code] = scalar_text(attr.get("value"))
        elif taxonomy == "signpost_contact":
            if code in ("website", "email"):
                out.contact[code] = scalar_text(attr.get("value"))
        elif taxonomy == "signpost_eligibility" or term_gender(code) or term_gender(tname):
            gender = term_gender(code) or term_gender(tname)
            if gender:
                out.genders.add(gender)
        elif tname or code:
            out.categories.append(tname or code)
    try:
        out.support_types = support_vocab.from_hsds_terms(terms, where=f"{p}.attributes")
    except InputError as err:
        issues.extend(err.issues)
    return out


def _organization(svc: Service, p: str) -> tuple[dict, str]:
    """The service's organization (given beside it, else nested in it) and where it is."""
    org, org_path = svc.org, svc.org_path
    if org is None and isinstance(svc.obj.get("organization"), dict):
        org, org_path = svc.obj["organization"], f"{p}.organization"
    if org is None:
        return {}, ""
    return org, where_of(org, org_path)


def _ages_and_gender(svc: Service, p: str, genders: set[str], origin: Origin,
                     issues: Issues) -> tuple[int | None, int | None, str | None]:
    """minimum_age/maximum_age, else 1.1/2.0 eligibility rows (their columns, else their text)."""
    s = svc.obj
    min_age = whole(s.get("minimum_age"), p, "minimum_age", issues)
    max_age = whole(s.get("maximum_age"), p, "maximum_age", issues)
    genders = genders | text_genders(text(s, "eligibility_description", p, issues))
    for row in svc.eligibility:
        where = where_of(row, p)
        words = scalar_text(row.get("eligibility"))
        if words.lower() in ("female", "male"):
            genders.add(words.lower())
        genders |= text_genders(words)
        lo = whole(row.get("minimum_age"), where, "minimum_age", issues)
        hi = whole(row.get("maximum_age"), where, "maximum_age", issues)
        column = ""
        if lo is None and hi is None:
            lo, hi = ages_from_text(words)
            column = "eligibility"
        if lo is not None and min_age is None:
            min_age = lo
            origin["min_age"] = (where, column or "minimum_age")
        if hi is not None and max_age is None:
            max_age = hi
            origin["max_age"] = (where, column or "maximum_age")
    origin.setdefault("min_age", (p, "minimum_age"))
    origin.setdefault("max_age", (p, "maximum_age"))
    return min_age, max_age, (genders.pop() if len(genders) == 1 else None)


def _cost(s: dict, p: str, declared: str | None, issues: Issues) -> str | None:
    """Signpost's own cost term, else the highest level of the cost options and fees text."""
    if declared is not None:
        return declared
    levels = []
    for option, opath in items(s, "cost_options", p, issues):
        amount = number(option.get("amount"), opath, "amount", issues)
        currency = scalar_text(option.get("currency")).lower()
        if amount is not None and amount < 0:
            issues.append(ValidationIssue(opath, "amount", f"{scalar_text(option.get('amount'))} is not a price"))
        elif amount is not None:
            levels.append(amount_level(amount) if currency in EQUIVALENT_CURRENCIES or amount == 0 else "paid")
        else:
            level = text_cost(" ".join(scalar_text(option.get(k)) for k in ("option", "amount_description")))
            if level:
                levels.append(level)
    for key in ("fees_description", "fees"):
        level = text_cost(text(s, key, p, issues))
        if level:
            levels.append(level)
    return highest_cost(levels)


def _status(s: dict, p: str, issues: Issues) -> str:
    raw = text(s, "status", p, issues).lower()
    if raw in ("", "active"):
        return "active"
    if raw in INACTIVE_STATUSES:
        return "inactive"
    issues.append(ValidationIssue(p, "status", f"'{raw}' is not an HSDS status: use active, inactive, "
                                               "defunct or temporarily closed"))
    return "active"  # reported here; not again by the record


def _last_verified(s: dict, p: str, sid: str, issues: Issues) -> dt.date | None:
    """assured_date; else the latest last_action_date of metadata about the service itself."""
    assured = text(s, "assured_date", p, issues)
    if assured:
        return past_date(assured, p, "assured_date", issues)
    dates = []
    for meta, mpath in items(s, "metadata", p, issues):
        rid, rtype = scalar_text(meta.get("resource_id")), scalar_text(meta.get("resource_type")).lower()
        if rid in ("", sid) and rtype in ("", "service"):
            raw = scalar_text(meta.get("last_action_date"))
            if date(raw):  # metadata that is no date says nothing of when the service was checked
                dates.append(past_date(raw, mpath, "last_action_date", issues))
    return max((d for d in dates if d), default=None)


def _contacts(s: dict, p: str, org: dict, declared: dict[str, str], issues: Issues) -> tuple[str, str]:
    """(email, website): the service's own, else Signpost's kept text, else a contact's or the organization's."""
    contacts = items(s, "contacts", p, issues)
    email = text(s, "email", p, issues) or declared.get("email") or next(
        (scalar_text(c.get("email")) for c, _ in contacts if scalar_text(c.get("email"))), "") or scalar_text(
        org.get("email"))
    website = (text(s, "url", p, issues) or declared.get("website") or scalar_text(org.get("website"))
               or scalar_text(org.get("url")))
    return email, website


def _delivery(s: dict, p: str, label: str, description: str, declared: list[str], places: list[Place],
              service_phones: list[str], org_phones: list[str], issues: Issues) -> list[str]:
    """How people take part (docs/hsds.md, "delivery"); [] with an issue when it cannot be told."""
    if declared:  # Signpost's own convention decides
        return list(declared)
    physical = any(pl.kind in PHYSICAL for pl in places)
    own_phones = service_phones + [n for pl in places for n in pl.sal_phones]
    any_phone = own_phones or org_phones or any(pl.loc_phones for pl in places)
    call = says_call(" ".join((scalar_text(s.get("application_process")), description)))
    modes = []
    if physical:  # placed or not: the file says people go there
        modes.append("in_person")
    if any(pl.kind == "virtual" for pl in places):
        modes.append("online")
    if not physical and (own_phones or (call and any_phone)):
        modes.append("phone")
    if not physical and not modes and scalar_text(s.get("url")):
        modes.append("online")
    if not modes:
        named = [f"'{pl.name}'" for pl in places if pl.kind == "ignored" and pl.name]
        where = f" (its location {', '.join(named)} is a postal address only)" if named else ""
        issues.append(ValidationIssue(p, "service_at_locations", f"cannot tell how '{label}' is delivered: it has no "
                                                                 f"physical or virtual location{where}, no phone "
                                                                 "number of its own and no website"))
    return modes


def _unplaced_until(label: str, status: str) -> str:
    if status == "active":
        return f"{label} is imported as inactive until a curator places the venue"
    return f"{label} is inactive (as the file says); a curator must place the venue before reactivating it"


def _place_fields(data: dict[str, Any], place: Place | None, modes: list[str], languages: list[str],
                  origin: Origin) -> None:
    """What a listing takes from its place: address, coordinates, access, the venue's languages."""
    if place is None:
        return
    if "in_person" in modes:
        data["languages"] = list(dict.fromkeys(languages + place.languages))
    data.update(address=place.address, postcode=place.postcode, latitude=place.latitude,
                longitude=place.longitude, wheelchair_accessible=place.wheelchair)
    origin.update(latitude=(place.path, "latitude"), longitude=(place.path, "longitude"),
                  address=(place.path, "addresses"), postcode=(place.path, "addresses"),
                  wheelchair_accessible=(place.path, "accessibility"))


def _unplaced_warning(data: dict[str, Any], place: Place | None, modes: list[str], p: str, label: str,
                      warnings: Issues) -> None:
    """An in-person listing whose venue is not placed is kept, inactive, with a warning saying why."""
    if "in_person" in modes and (place is None or place.kind != "venue"):
        # Not placed: kept as the file says, but never offered until a curator places it.
        until = _unplaced_until(label, data["status"])
        data["status"] = "inactive"
        if place is None:
            warnings.append(ValidationIssue(p, "service_at_locations", "says it meets in person but has no "
                                                                       f"physical location; {until}"))
        elif place.kind == "unplaced":
            warnings.append(ValidationIssue(place.path, place.problems[0][0],
                                            "; ".join(r for _, r in place.problems) + f"; {until}"))
    elif place is not None and place.kind == "unplaced" and place.dropped:
        warnings.append(ValidationIssue(place.path, place.problems[0][0], "; ".join(r for _, r in place.problems)
                                        + f"; the coordinates are left out of {label}, which does not meet in person"))


def _validated(data: dict[str, Any], origin: Origin, p: str, issues: Issues) -> Resource | None:
    """The listing, or None with the record's issues told in HSDS places and fields."""
    resource, found = validate_resource(data)
    for issue in found:
        col = issue.column or ""
        row, column = origin.get(col, (p, _HSDS_FIELD.get(col, col or None)))
        if col == "description" and any(i.column == "description" for i in issues):
            continue
        issues.append(ValidationIssue(row, column, issue.message))
    return resource


@dataclass
class _Read:
    """A service read once; each of its places then gives a listing."""

    base: dict[str, Any]
    origin: Origin
    modes: list[str]
    places: list[Place]
    schedules: list[tuple[dict, str]]
    service_phones: list[str]
    org_phones: list[str]


def _read_service(svc: Service, p: str, issues: Issues) -> _Read:
    s = svc.obj
    sid, name = text(s, "id", p, issues), text(s, "name", p, issues)
    org, org_path = _organization(svc, p)
    description = text(s, "description", p, issues) or text(org, "description", org_path, issues)
    if not description:
        issues.append(ValidationIssue(p, "description", "is required: neither the service nor its organization "
                                                         "has a description"))
    attrs = _attributes(s, p, issues)
    languages = languages_of(s, p, issues)
    if svc.english_implied and languages and "en" not in languages:
        languages.insert(0, "en")
    interpreter = offers_interpreter(text(s, "interpretation_services", p, issues))
    origin: Origin = {}
    min_age, max_age, gender = _ages_and_gender(svc, p, attrs.genders, origin, issues)
    cost = _cost(s, p, attrs.cost, issues)
    status = _status(s, p, issues)
    last_verified = _last_verified(s, p, sid, issues)
    email, website = _contacts(s, p, org, attrs.contact, issues)
    service_phones, org_phones = phones(s, p, issues), phones(org, org_path, issues)
    schedules = items(s, "schedules", p, issues)
    places = places_of(svc.sals if svc.sals is not None else items(s, "service_at_locations", p, issues), issues)
    modes = _delivery(s, p, name or sid, description, attrs.delivery, places, service_phones, org_phones, issues)
    base: dict[str, Any] = {
        "id": sid, "name": name, "organisation": scalar_text(org.get("name")), "description": description,
        "categories": attrs.categories, "domains": attrs.domains, "support_types": attrs.support_types,
        "languages": languages,
        "interpreter_available": interpreter, "min_age": min_age, "max_age": max_age, "gender": gender,
        # With no mode the service is already reported; "online" only lets the record check the rest.
        "delivery": modes or ["online"], "cost": cost, "email": email, "website": website,
        "last_verified": last_verified, "status": status, "extra": attrs.extra,
    }
    return _Read(base, origin, modes, places, schedules, service_phones, org_phones)


def _listing_places(read: _Read) -> list[Place | None]:
    """One listing a physical place (placed or not) when it meets in person; else one listing."""
    physical = [pl for pl in read.places if pl.kind in PHYSICAL]
    if "in_person" in read.modes:
        return list(physical) or [None]
    return [next(iter(physical), None)]


def service_listings(svc: Service, issues: Issues, warnings: Issues) -> list[tuple[Resource, str]]:
    """The listings of one service (one a place it meets at), each with the service's path; none
    when the service has an issue (all of them added to `issues`)."""
    p = where_of(svc.obj, svc.path)
    mine: Issues = []
    read = _read_service(svc, p, mine)
    sid = read.base["id"]
    label = f"'{read.base['name'] or sid}'"
    out: list[tuple[Resource, str]] = []
    for n, place in enumerate(_listing_places(read)):
        data = dict(read.base)
        if n:
            data["id"] = f"{sid}:{place.sal_id or place.loc_id or n + 1}"
        sal_schedules = items(place.sal, "schedules", place.sal_path, []) if place and place.sal else []
        data["schedule"] = schedule_text(sal_schedules or read.schedules, mine)
        found = (read.service_phones + (place.sal_phones if place else []) + read.org_phones
                 + (place.loc_phones if place else []))
        data["phone"] = next(iter(found), "")
        _place_fields(data, place, read.modes, read.base["languages"], read.origin)
        _unplaced_warning(data, place, read.modes, p, label, warnings)
        resource = _validated(data, read.origin, p, mine)
        if resource is not None:
            out.append((resource, p))
    issues.extend(mine)
    return [] if mine else out


def listings(services: list[Service], issues: Issues) -> Loaded:
    """Every service's listings, or InputError with every problem of the file. Warnings are kept
    only for a file that imports (a file with errors changes nothing, so they would not apply)."""
    out: list[Resource] = []
    warnings: Issues = []
    first: dict[str, str] = {}
    for svc in services:
        for resource, path in service_listings(svc, issues, warnings):
            if resource.id in first:
                issues.append(ValidationIssue(path, "id", f"duplicate id '{resource.id}' (first used at {first[resource.id]})"))
            else:
                first[resource.id] = path
                out.append(resource)
    if issues:
        raise InputError(list(dict.fromkeys(issues)))
    return Loaded(out, warnings)


def nothing(source: str, what: str | None = None, message: str | None = None) -> Loaded:
    """A valid HSDS file without services: nothing to import, and a message saying so."""
    message = message or f"{source} holds {what} and no services: nothing to import"
    return Loaded([], [ValidationIssue(None, None, message)])
