"""The words people read, in one place: needs domains, costs, delivery, roles, the hard rules.

Pages, reasons, plans and the command line all take their wording from here, so a listing's cost
or a rule reads the same everywhere. Keys are the contract's (contracts/README.md sections 1-4).
"""

from __future__ import annotations

# Contract section 1, as a person reads it.
DOMAIN_LABELS: dict[str, str] = {
    "lifestyle": "lifestyle",
    "self_care": "looking after yourself",
    "managing_symptoms": "managing symptoms",
    "work_volunteering": "work and volunteering",
    "money": "money",
    "living_conditions": "living conditions",
    "social_relationships": "social relationships",
    "mental_wellbeing": "mental wellbeing",
}

COST_WORDS: dict[str | None, str] = {"free": "Free", "low_cost": "Low cost", "paid": "Paid", None: "Cost not stated"}
DELIVERY_WORDS: dict[str, str] = {"in_person": "in person", "phone": "by phone", "online": "online"}
ROLE_WORDS: dict[str, str] = {"gp": "GP", "link_worker": "link worker", "curator": "directory curator",
                              "admin": "administrator"}

# Contract section 4: why a listing was left out, by the first rule it broke.
EXCLUSION_WORDS: dict[str, str] = {
    "language": "Not held in a language they speak, and no interpreter",
    "age": "Outside the group's age range",
    "gender": "A women-only or men-only group that does not fit (or gender not given)",
    "reach": "Too far to travel, not wheelchair accessible, or needs a phone or internet they don't use",
    "cost": "Costs more than they can afford",
    "inactive": "No longer running (retired listings)",
}
# The `reach` count split by why (matcher.constraints.REACH_PARTS).
REACH_WORDS: dict[str, str] = {
    "too_far": "Too far to travel (beyond the distance they gave)",
    "wheelchair": "Venue not known to be wheelchair accessible",
    "remote": "Only by phone or online, which they don't use",
}
RULE_SHORT: dict[str, str] = {"language": "Language", "age": "Age", "gender": "Gender", "reach": "Getting there",
                              "cost": "Cost", "inactive": "No longer running"}

# The link worker's profile form (contract section 3 values).
GENDER_WORDS: dict[str | None, str] = {None: "Not given", "female": "Woman", "male": "Man",
                                       "other": "Other / prefer to self-describe"}
DIGITAL_WORDS: dict[str, str] = {"online": "Phone and internet", "phone": "Phone only", "none": "Neither"}
AFFORD_WORDS: dict[str, str] = {"paid": "Can pay", "low_cost": "Low cost or free", "free": "Free only"}
PROFILE_FIELD_LABELS: dict[str, str] = {
    "needs": "Needs", "goals": "What matters to them", "conditions": "Conditions", "languages": "Languages",
    "age": "Age", "gender": "Gender", "location": "Where they live", "max_distance_km": "How far they can travel",
    "digital_access": "Phone and internet", "needs_wheelchair_access": "Wheelchair access",
    "max_cost": "What they can afford",
}

# The curator's listing form (contract section 2 values).
OPEN_TO_WORDS: dict[str, str] = {"": "Anyone", "female": "Women only", "male": "Men only"}
LISTING_COST_WORDS: dict[str, str] = {"": "Not stated", "free": "Free", "low_cost": "Low cost", "paid": "Paid"}
YES_NO_WORDS: dict[str, str] = {"": "Not stated", "true": "Yes", "false": "No"}


def domain_label(key: str) -> str:
    """'Looking after yourself' for self_care: a domain as a heading."""
    return DOMAIN_LABELS.get(key, key).capitalize()
