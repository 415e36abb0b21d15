"""Where a new listing meets, from what a curator types: its postcode, else a place named in its
address, looked up in the offline gazetteer (matcher/geo.py). The coordinates are a starting point the
curator can correct; nothing is fetched from the internet."""

from __future__ import annotations

from .geo import Gazetteer, default_gazetteer


def place_listing(postcode: str, address: str = "", gazetteer: Gazetteer | None = None
                  ) -> tuple[float, float, str] | None:
    """(latitude, longitude, what was found) for a postcode or an address's place name, or None."""
    gaz = gazetteer if gazetteer is not None else default_gazetteer()
    if postcode.strip():
        hit = gaz.postcode(postcode)
        if hit is not None:
            return round(hit[0], 5), round(hit[1], 5), f"postcode {postcode.strip().upper()}"
    parts = [p.strip() for p in address.split(",") if p.strip()]
    for part in reversed(parts):  # the town or neighbourhood is usually last
        hit = gaz.place(part)
        if hit is not None:
            return round(hit[0], 5), round(hit[1], 5), f"place {part}"
    return None
