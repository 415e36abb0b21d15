"""What a match answers: results, near misses and the whole answer, with exactly the JSON of contract
section 5 (`Recommendations.to_json`). Plain data; `matcher.recommender` builds them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from directory.records import Resource


@dataclass
class Result:
    id: str
    rank: int
    score: float
    name: str
    distance_km: float | None
    domains: list[str]
    needs_met: list[str]
    delivery: list[str]
    reasons: list[str]
    resource: Resource

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "rank": self.rank, "score": self.score, "name": self.name,
                "distance_km": self.distance_km, "domains": self.domains, "needs_met": self.needs_met,
                "delivery": self.delivery, "reasons": self.reasons}


@dataclass
class NearMiss:
    id: str
    name: str
    broken: str
    detail: str
    resource: Resource

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "broken": self.broken, "detail": self.detail}


@dataclass
class Recommendations:
    profile_id: str | None
    results: list[Result]
    excluded: dict[str, int]
    near_misses: list[NearMiss] = field(default_factory=list)
    location: tuple[float, float] | None = None
    # Rated needs (greatest first) that no result meets: nothing local fits them (contract section 5).
    unmet_needs: list[str] = field(default_factory=list)
    # The needs the results were chosen for, greatest first: rated, or read from the person's words.
    needs: list[str] = field(default_factory=list)
    # `excluded["reach"]` split by why (constraints.REACH_PARTS); extra detail, not in the contract's JSON.
    reach_detail: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """Exactly the JSON of contract section 5."""
        return {"profile_id": self.profile_id, "results": [r.to_json() for r in self.results],
                "unmet_needs": list(self.unmet_needs), "excluded": dict(self.excluded),
                "near_misses": [m.to_json() for m in self.near_misses]}
