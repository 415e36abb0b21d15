"""Synthetic directories for the speed benchmark: 1k, 10k, 100k, 1M listings around Glasgow.

    .venv/bin/python bench/synth.py 10000 /tmp/synth-10k.csv

Listings are made from templates per need domain, with the spread of languages, age limits,
gender-specific groups, delivery modes and costs of a real directory, so that the hard-constraint
mask and the ranking do realistic work. Not for quality figures (the text is templated).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from directory.records import DOMAINS, Resource  # noqa: E402

ACTIVITIES = {
    "lifestyle": ["walking group", "chair exercise class", "healthy cooking course", "stop smoking clinic",
                  "walking football", "community garden", "swimming session", "dance class"],
    "self_care": ["self-management course", "health check drop-in", "appointment support service",
                  "medication review help", "paperwork help desk"],
    "managing_symptoms": ["breathe easy group", "diabetes education session", "chronic pain cafe",
                          "arthritis exercise group", "heart health club", "fatigue management course"],
    "work_volunteering": ["volunteering hub", "employability coaching", "digital skills course",
                          "men's shed", "CV workshop"],
    "money": ["welfare rights advice", "debt advice line", "food bank", "energy bill help",
              "benefits check clinic", "community pantry"],
    "living_conditions": ["housing advice service", "home repairs scheme", "community transport",
                          "tenancy support", "home safety check"],
    "social_relationships": ["lunch club", "befriending service", "community choir", "coffee morning",
                             "knitting circle", "carers' group"],
    "mental_wellbeing": ["mindfulness group", "bereavement support", "anxiety management course",
                         "peer support group", "arts for wellbeing"],
}
PLACES = ["Govan", "Partick", "Maryhill", "Springburn", "Easterhouse", "Pollok", "Dennistoun", "Shettleston",
          "Castlemilk", "Drumchapel", "Gorbals", "Anderston", "Possilpark", "Cardonald", "Parkhead"]
LANGS = ["en", "ur", "pa", "pl", "ar", "zh", "sm", "ro", "so", "ku"]
CENTRE = (55.8642, -4.2518)


def generate(n: int, seed: int = 0, prefix: str = "S") -> list[Resource]:
    """n synthetic listings (built without validation: every value is valid by construction)."""
    rng = np.random.default_rng(seed)
    dom_idx = rng.integers(0, len(DOMAINS), size=n)
    second = rng.integers(0, len(DOMAINS), size=n)
    kinds = rng.random(n)
    lat = CENTRE[0] + rng.normal(0, 0.06, n)
    lon = CENTRE[1] + rng.normal(0, 0.10, n)
    out = []
    for i in range(n):
        d = DOMAINS[dom_idx[i]]
        activity = ACTIVITIES[d][i % len(ACTIVITIES[d])]
        place = PLACES[(i // 7) % len(PLACES)]
        other = ACTIVITIES[DOMAINS[second[i]]][(i // 3) % len(ACTIVITIES[DOMAINS[second[i]]])]
        r = kinds[i]
        delivery = ["in_person"] if r < 0.65 else (["phone"] if r < 0.8 else (["online"] if r < 0.92
                                                                              else ["in_person", "phone"]))
        langs = ["en"] if rng.random() < 0.8 else sorted({LANGS[int(rng.integers(1, len(LANGS)))], "en"}
                                                          if rng.random() < 0.5 else
                                                          {LANGS[int(rng.integers(1, len(LANGS)))]})
        g = rng.random()
        gender = "female" if g < 0.06 else ("male" if g < 0.1 else None)
        a = rng.random()
        min_age, max_age = (None, None) if a < 0.75 else ((60, None) if a < 0.85 else
                                                          ((16, 25) if a < 0.92 else (50, None)))
        c = rng.random()
        cost = "free" if c < 0.6 else ("low_cost" if c < 0.8 else ("paid" if c < 0.9 else None))
        in_person = "in_person" in delivery
        domains = [d] if rng.random() < 0.7 else []
        out.append(Resource.model_construct(
            id=f"{prefix}{i:07d}", name=f"{place} {activity}", organisation=f"{place} Community Trust",
            description=(f"A {activity} in {place} for local people, with {other} on the side. "
                         f"{'Held in ' + langs[0] + '. ' if langs != ['en'] else ''}Just come along or call us."),
            categories=[activity], domains=domains, languages=langs,
            interpreter_available=bool(rng.random() < 0.1), min_age=min_age, max_age=max_age, gender=gender,
            delivery=delivery, cost=cost, address="", postcode="",
            latitude=float(lat[i]) if in_person else None, longitude=float(lon[i]) if in_person else None,
            wheelchair_accessible=(None if rng.random() < 0.3 else bool(rng.random() < 0.7)),
            schedule="Tuesdays 10:00-12:00", phone="", email="", website="", last_verified=None,
            status="inactive" if rng.random() < 0.03 else "active", extra={},
        ))
    return out


def main() -> None:
    from directory import csv_io

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int)
    ap.add_argument("out", help="contract CSV to write")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    csv_io.write_csv(generate(args.n, args.seed), args.out)
    print(f"wrote {args.n} listings to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
