"""Why a listing was recommended, in short plain sentences a person can read.

Every reason is a fact of the listing (its domains, languages, delivery, venue, cost, access,
schedule) set against a fact of the profile (needs and their readings, languages, location). A
reason never says more than the data: a blank cost is "Cost not stated", not "Paid"; wheelchair
access is claimed only when the listing says so; domains inferred from the text are worded as such.
"""

from __future__ import annotations

from directory.languages import language_name
from directory.records import Resource
from directory.vocabulary import COST_WORDS, DOMAIN_LABELS

from .profile import NeedsProfile

MAX_NEED_REASONS = 2


def need_reasons(domains: list[str], profile: NeedsProfile, inferred: bool, scored: bool = True) -> list[str]:
    ranked = profile.needs_by_priority()
    if not ranked:
        return []
    top_reading = ranked[0][1]
    out = []
    for domain, reading in ranked:
        if domain not in domains or reading >= 10:
            continue
        label = DOMAIN_LABELS[domain]
        if not scored:  # needs guessed from a GP's free text: there is no score to quote
            text = f"{'Its description suggests help' if inferred else 'Helps'} with {label}, as you described"
        elif inferred:
            text = f"Its description suggests help with {label} (you scored it {reading}/10)"
        elif reading == top_reading:
            text = f"Meets your top need: {label}"
        else:
            text = f"Helps with {label} (you scored it {reading}/10)"
        out.append(text)
        if len(out) == MAX_NEED_REASONS:
            break
    return out


def language_reason(resource: Resource, profile: NeedsProfile) -> str | None:
    shared = [c for c in profile.languages if c in resource.languages]
    if shared:
        if shared == ["en"] and profile.languages == ["en"]:
            return None  # everything is in English for an English speaker: not worth a line
        return "Held in " + " and ".join(language_name(c) for c in shared)
    if resource.interpreter_available:
        return "An interpreter is available"
    return None


def usable_modes(resource: Resource, profile: NeedsProfile, distance_km: float | None) -> list[str]:
    """Delivery modes this person can use (contract section 4, rule 5), in the listing's order."""
    modes = []
    if "in_person" in resource.delivery:
        near = distance_km is None or distance_km <= profile.max_distance_km
        access = not profile.needs_wheelchair_access or resource.wheelchair_accessible is True
        if near and access:
            modes.append("in_person")
    if "phone" in resource.delivery and profile.digital_access in ("phone", "online"):
        modes.append("phone")
    if "online" in resource.delivery and profile.digital_access == "online":
        modes.append("online")
    return modes


def reach_reasons(resource: Resource, profile: NeedsProfile, distance_km: float | None) -> list[str]:
    out = []
    modes = usable_modes(resource, profile, distance_km)
    if "in_person" in modes:
        if distance_km is not None:
            out.append(f"{distance_km:.1f} km away")
        else:
            place = ", ".join(p for p in (resource.address, resource.postcode) if p)
            out.append(f"Meets in person at {place}" if place else "Meets in person")
    if "phone" in modes:
        out.append("Also by phone" if out else "By phone")
    if "online" in modes:
        out.append("Also online" if out else "Online")
    return out


def reasons_for(resource: Resource, profile: NeedsProfile, domains: list[str], inferred: bool,
                distance_km: float | None, scored: bool = True) -> list[str]:
    """All reasons for one result, most important first. `scored`: the person rated their needs."""
    out = need_reasons(domains, profile, inferred, scored)
    lang = language_reason(resource, profile)
    if lang:
        out.append(lang)
    out.extend(reach_reasons(resource, profile, distance_km))
    out.append(COST_WORDS[resource.cost])
    # access matters only where the person would go in person
    if "in_person" in usable_modes(resource, profile, distance_km) and resource.wheelchair_accessible is True:
        out.append("Wheelchair accessible")
    if resource.schedule:
        out.append(resource.schedule)
    return out
