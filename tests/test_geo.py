"""Locations resolve offline from the gazetteer; an unknown one is an error naming `location`."""

from __future__ import annotations

import math

import numpy as np
import pytest
from geopy.distance import great_circle

from directory.records import InputError
from matcher.geo import (
    Gazetteer,
    Place,
    haversine_km,
    normalise_postcode,
    postcode_district,
    resolve_location,
)

from .matcher_fixtures import GAZETTEER, HOME


@pytest.mark.parametrize("text, district", [
    ("G51 3AB", "G51"), ("g513ab", "G51"), (" G1 1AA ", "G1"), ("G51", "G51"), ("EH1 2NG", "EH1"),
    ("G2", "G2"), ("PA1 1AB", "PA1"), ("nonsense!", None), ("12345", None),
])
def test_postcode_district(text, district):
    assert postcode_district(text) == district


def test_normalise_postcode():
    assert normalise_postcode(" g51  3ab ") == "G513AB"


def test_full_postcode_resolves_through_its_district():
    assert resolve_location({"postcode": "G51 3AB"}, GAZETTEER) == (55.8617, -4.3086)
    assert resolve_location({"postcode": "g51"}, GAZETTEER) == (55.8617, -4.3086)


def test_place_names_ignore_case_and_spaces():
    for text in ("Govan", "govan", " GOVAN ", "city centre", "CityCentre", "City  Centre"):
        assert resolve_location({"place": text}, GAZETTEER) is not None


def test_a_postcode_typed_as_a_place_still_resolves():
    assert resolve_location({"place": "G51"}, GAZETTEER) == (55.8617, -4.3086)


def test_coordinates_pass_through():
    assert resolve_location({"latitude": 55.1, "longitude": -4.2}, GAZETTEER) == (55.1, -4.2)
    assert resolve_location(None, GAZETTEER) is None


@pytest.mark.parametrize("location", [{"place": "Atlantis"}, {"postcode": "ZZ9 9ZZ"}, {"postcode": "not a postcode"},
                                      {}])
def test_unknown_location_is_an_error_naming_location(location, monkeypatch):
    monkeypatch.delenv("SIGNPOST_GEOCODER", raising=False)  # offline: never the network in tests
    with pytest.raises(InputError) as err:
        resolve_location(location, GAZETTEER)
    assert [i.column for i in err.value.issues] == ["location"]


def test_gazetteer_loads_from_csv(tmp_path):
    path = tmp_path / "g.csv"
    path.write_text("name,kind,latitude,longitude\nG51,postcode_district,55.86,-4.31\nGovan,neighbourhood,55.86,-4.31\n")
    gaz = Gazetteer.load(path)
    assert gaz.place("govan") == (55.86, -4.31) and gaz.postcode("G51 2XY") == (55.86, -4.31)
    assert gaz.names() == ["Govan", "G51"]


def test_bundled_gazetteer_loads():
    gaz = Gazetteer.load()
    for name in gaz.names()[:50]:
        assert gaz.place(name) is not None


def test_haversine_agrees_with_geopy():
    a, b = HOME, (55.8617, -4.3086)
    assert math.isclose(float(haversine_km(*a, *b)), great_circle(a, b).km, rel_tol=1e-9)
    d = haversine_km(HOME[0], HOME[1], np.array([HOME[0], 56.0]), np.array([HOME[1], -4.0]))
    assert d.shape == (2,) and d[0] == 0


def test_neighbourhoods_within_a_distance():
    g = Gazetteer([Place("Govan", "neighbourhood", 55.8617, -4.3086), Place("Ibrox", "neighbourhood", 55.8540, -4.3090),
                   Place("Partick", "neighbourhood", 55.8700, -4.3100), Place("G51", "postcode_district", 55.86, -4.31)])
    # Ibrox is 0.86 km from Govan and Partick 0.93 km; postcode districts are never neighbourhoods.
    assert [p.name for p in g.neighbourhoods_within(55.8617, -4.3086, 0.9)] == ["Govan", "Ibrox"]
    assert [p.name for p in g.neighbourhoods_within(55.8617, -4.3086, 1.0)] == ["Govan", "Ibrox", "Partick"]
    assert Gazetteer([]).neighbourhoods_within(55.86, -4.31, 5) == []


def test_the_earth_radius_is_geopys():
    """Written out so that a match does not import geopy; it must stay geopy's great_circle radius."""
    from geopy.distance import EARTH_RADIUS

    from matcher.geo import EARTH_RADIUS_KM

    assert EARTH_RADIUS_KM == EARTH_RADIUS
