"""Why a listing was recommended, in short plain sentences a person can read.

Every reason is a fact of the listing (its domains, languages, delivery, venue, cost, access,
schedule) set against a fact of the profile (needs and their readings, languages, location). A
reason never says more than the data: a blank cost is "Cost not stated", not "Paid"; wheelchair
access is claimed only when the listing says so; domains inferred from the text are worded as such.
"""

from __future__ import annotations

from directory import support_types as support_vocab
from directory.languages import language_name
from directory.records import Resource
from directory.vocabulary import COST_WORDS, DOMAIN_LABELS

from .conditions import condition_clause
from .profile import NeedsProfile
from .support_types import Evidence, listing_evidence

MAX_NEED_REASONS = 2


def need_reasons(needs_met: list[str], profile: NeedsProfile, inferred: bool, scored: bool = True) -> list[str]:
    """Which of the person's needs it meets, greatest first, in words a person reads: never a score
    ("2/10" reads as unimportant to someone who has not seen the scale)."""
    out = []
    top = min(profile.needs.values()) if profile.needs else None
    for domain in needs_met[:MAX_NEED_REASONS]:
        label = DOMAIN_LABELS[domain]
        reading = profile.needs.get(domain)
        if inferred:
            text = f"Its description suggests help with {label}"
        elif not scored or reading is None:  # a GP's few words, or needs read from the person's own words
            text = f"Helps with {label}"
        elif reading == top:
            text = f"Meets your top need: {label}"
        else:
            text = f"Also helps with {label}"
        out.append(text)
    return out


def condition_reasons(resource: Resource, profile: NeedsProfile) -> list[str]:
    """A condition the person lives with that the listing names, quoted on both sides:
    "For people with COPD: you live with COPD"."""
    text = f"{resource.name}. {resource.description}. {'; '.join(resource.categories)}"
    for condition in profile.conditions:
        said = condition_clause(condition, text)
        if said:
            return [f"{said[0].upper()}{said[1:]}: you live with {condition}"]
    return []


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


def support_type_reasons(resource: Resource, person_types: dict[str, Evidence] | None) -> list[str]:
    """The kind of help the person asked for in their own words, quoted on both sides: "Support for
    carers of people with dementia: you said “I look after my mum, who has dementia”"."""
    if not person_types:
        return []
    text = f"{resource.name}. {resource.description}"
    for key, said in person_types.items():
        shown = listing_evidence(key, text)
        if shown is None and key not in resource.support_types:
            continue
        offer = shown or support_vocab.label(key)
        if said.source == "goals":
            return [f"{offer}: you said “{said.quote}”"]
        if said.source == "conditions":
            return [f"{offer}: you live with {said.quote}"]
        return [f"{offer}: you speak {said.quote}"]
    return []


def reasons_for(resource: Resource, profile: NeedsProfile, needs_met: list[str], inferred: bool,
                distance_km: float | None, scored: bool = True,
                person_types: dict[str, Evidence] | None = None) -> list[str]:
    """All reasons for one result, most important first. `scored`: the person rated their needs;
    `person_types`: the support types read from their words (matcher.support_types.types_from_profile)."""
    out = need_reasons(needs_met, profile, inferred, scored)
    out.extend(support_type_reasons(resource, person_types))
    if not any(": you live with" in x for x in out):
        out.extend(condition_reasons(resource, profile))
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
