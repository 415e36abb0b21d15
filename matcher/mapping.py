"""The maths of the offline map: a local projection, a view fitted to the travel ring, venues grouped
so that markers never pile up, and neighbourhood labels placed without overlap.

Pure functions over numbers and names: the page only draws what they return (Vega-Lite layers,
no basemap, no tiles, no outside request). Coordinates are km east (x) and north (y) of the centre.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

KM_PER_DEG_LAT = 110.574
KM_PER_DEG_LON_EQUATOR = 111.320
# The view shows this much beyond the ring, so that the ring and the labels near it are whole.
MARGIN = 1.12
# The smallest half-width shown, in km (a few streets either side of home).
MIN_HALF_KM = 0.8
# Closing in on venues well inside the ring: the farthest one sits this far in from the edge.
CLOSE_IN = 1.35


@dataclass(frozen=True)
class View:
    """A square view: `half_km` either side of the centre, drawn `size_px` wide and high."""

    centre: tuple[float, float]
    half_km: float
    size_px: int
    ring_whole: bool = True  # the travel ring fits in the view (else it runs off the edges)

    @property
    def px_per_km(self) -> float:
        return self.size_px / (2 * self.half_km)

    def contains(self, x: float, y: float) -> bool:
        return abs(x) <= self.half_km and abs(y) <= self.half_km


@dataclass
class Marker:
    """One marker: the options meeting at one venue (or venues too close to tell apart at this scale)."""

    x: float
    y: float
    ranks: list[int] = field(default_factory=list)
    names: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return ",".join(str(r) for r in self.ranks)


@dataclass(frozen=True)
class Label:
    text: str
    x: float
    y: float


def project(centre: tuple[float, float], latitude: float, longitude: float) -> tuple[float, float]:
    """(km east, km north) of `centre`: an equirectangular projection, true to a few metres across a city."""
    kx = KM_PER_DEG_LON_EQUATOR * math.cos(math.radians(centre[0]))
    return (longitude - centre[1]) * kx, (latitude - centre[0]) * KM_PER_DEG_LAT


def fit_view(centre: tuple[float, float], ring_km: float | None, points: Iterable[tuple[float, float]] = (),
             size_px: int = 340) -> View:
    """The view fitted to the travel ring; with no ring, to the projected `points` (venues).

    Points beyond the ring never widen the view: they are listed beside the map instead. When every
    point lies well inside the ring, the view closes in on them (never below MIN_HALF_KM) so that
    their markers do not pile up over the person's home; the ring then runs off the edges."""
    pts = list(points)
    if ring_km:
        inside = [max(abs(x), abs(y)) for x, y in pts if math.hypot(x, y) <= ring_km]
        half = float(ring_km) * MARGIN
        if inside and max(inside) * CLOSE_IN < half:
            return View(centre, max(max(inside) * CLOSE_IN, MIN_HALF_KM), size_px, ring_whole=False)
        return View(centre, half, size_px)
    far = max([max(abs(x), abs(y)) for x, y in pts] + [0.0])
    return View(centre, max(far * MARGIN, MIN_HALF_KM), size_px)


def ring(km: float, steps: int = 96) -> list[tuple[float, float]]:
    """The travel ring as a closed polyline (km from the centre)."""
    return [(km * math.sin(2 * math.pi * k / steps), km * math.cos(2 * math.pi * k / steps))
            for k in range(steps + 1)]


def group_markers(venues: Sequence[tuple[float, float, int, str]], view: View,
                  marker_px: float = 26) -> list[Marker]:
    """Venues (x km, y km, rank, name) inside the view as markers: venues whose markers would touch
    (closer than `marker_px` on screen) share one marker, labelled with every rank, best first."""
    markers: list[Marker] = []
    limit_km = marker_px / view.px_per_km
    for x, y, rank, name in sorted(venues, key=lambda v: v[2]):
        if not view.contains(x, y):
            continue
        for m in markers:
            if math.hypot(m.x - x, m.y - y) < limit_km:
                m.ranks.append(rank)
                m.names.append(name)
                break
        else:
            markers.append(Marker(x, y, [rank], [name]))
    return markers


def _box(label_x: float, label_y: float, text: str, view: View, char_px: float, line_px: float):
    w = (len(text) * char_px + 6) / view.px_per_km / 2
    h = (line_px + 4) / view.px_per_km / 2
    return label_x - w, label_y - h, label_x + w, label_y + h


def _overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def place_labels(names: Sequence[tuple[str, float, float]], view: View, avoid: Sequence[tuple[float, float]] = (),
                 char_px: float = 6.6, line_px: float = 12, avoid_px: float = 14) -> list[Label]:
    """Neighbourhood names (text, x km, y km) that fit the view without touching each other or the
    points in `avoid` (home, markers): each tried at its place, then above and below it; a name
    that fits nowhere is left out. Names nearest the centre are placed first."""
    r = avoid_px / view.px_per_km
    taken = [(x - r, y - r, x + r, y + r) for x, y in avoid]
    out: list[Label] = []
    step = (line_px + 2) / view.px_per_km
    for text, x, y in sorted(names, key=lambda n: math.hypot(n[1], n[2])):
        for dy in (0.0, step, -step, 2 * step, -2 * step):
            box = _box(x, y + dy, text, view, char_px, line_px)
            inside = -view.half_km <= box[0] and box[2] <= view.half_km and -view.half_km <= box[1] \
                and box[3] <= view.half_km
            if inside and not any(_overlaps(box, t) for t in taken):
                taken.append(box)
                out.append(Label(text, x, y + dy))
                break
    return out
