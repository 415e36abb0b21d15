"""Malformed input never crashes a parser (issue "Shared deployment": 10,000 generated inputs, 0
uncaught exceptions). Each parser of outside data gets a few hundred generated inputs here, from
the strategies of tests/fuzz_strategies.py; bench/fuzz.py runs the same strategies by the ten
thousand. The property: listings (or a profile) come back, or an InputError whose every issue
names a row or a field and says what is wrong; never any other exception."""

from __future__ import annotations

import collections

import pytest
from hypothesis import HealthCheck, given, settings

from .fuzz_strategies import FOUND, TARGETS, outcome

# 250 inputs a parser keep the module near 10 s on a shared 2-core machine; the bench runs 10,000+.
EXAMPLES = 250


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_malformed_input_is_rejected_with_located_issues_never_a_crash(name):
    target = TARGETS[name]
    seen: collections.Counter[str] = collections.Counter()

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(target.strategy())
    def parse(value):
        seen[outcome(target, value)] += 1

    parse()
    # the inputs reach both sides of the parser: generated junk alone would test little
    assert seen["rejected"] > 0 and seen["accepted"] > 0, dict(seen)


@pytest.mark.parametrize(("name", "what", "data"), FOUND, ids=[f"{n}: {w.split(':')[0]}" for n, w, _ in FOUND])
def test_the_crashes_fuzzing_found_stay_fixed(name, what, data):
    assert outcome(TARGETS[name], data) in ("accepted", "rejected"), what
