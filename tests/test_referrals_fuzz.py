"""Malformed referral bundles never crash the FHIR reader (issue "Privacy and access, tested" and
the fuzzing of tests/test_fuzz.py, extended): random JSON, the fixture bundle with values of the
wrong type, removed, doubled or wrapped, huge strings and numbers, nesting 100,000 deep, random
bytes. The property: an Intake comes back, or an InputError whose every issue names a place in
the file and says what is wrong, with no value of the fixture's person in it; nothing else."""

from __future__ import annotations

import collections
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from directory.records import InputError
from referrals import read_bundle
from referrals.intake import Intake

from .fuzz_strategies import deep, dumps, huge_text, json_values, mutated_json
from .referral_fixtures import PERSONAL, bundle

EXAMPLES = 300  # a few seconds on a shared 2-core machine
SEED = bundle()


@st.composite
def bundle_bytes(draw) -> bytes:
    kind = draw(st.sampled_from(["mutated", "mutated", "mutated", "mutated", "valid", "random", "bytes",
                                 "huge", "deep", "cut"]))
    if kind == "valid":  # the seed with a harmless change: the reader must accept these
        doc = json.loads(json.dumps(SEED))
        doc["entry"][4]["resource"]["identifier"][0]["value"] = draw(st.from_regex(r"[A-Z0-9-]{1,20}",
                                                                                   fullmatch=True))
        return json.dumps(doc).encode()
    if kind == "random":
        return dumps(draw(json_values())).encode("utf-8", "surrogatepass")
    if kind == "bytes":
        return draw(st.binary(max_size=200))
    if kind == "huge":
        doc = json.loads(json.dumps(SEED))
        doc["entry"][draw(st.integers(0, 4))]["resource"]["id"] = huge_text(draw(st.sampled_from([10**3, 10**6])))
        return json.dumps(doc).encode()
    if kind == "deep":
        doc = json.loads(json.dumps(SEED))
        doc["entry"][4]["resource"]["note"] = deep(draw(st.sampled_from([50, 900, 100_000])))
        return dumps(doc).encode()
    text = dumps(draw(mutated_json(SEED, json_values())))
    if kind == "cut":
        text = text[: draw(st.integers(0, len(text)))]
    return text.encode("utf-8", "surrogatepass")


def outcome(data: bytes) -> str:
    try:
        result = read_bundle(data)
    except InputError as err:
        assert err.issues, "an InputError without issues"
        for issue in err.issues:
            assert isinstance(issue.row, str) and issue.row, f"issue names no place: {issue!r}"
            assert issue.message.strip(), f"issue says nothing: {issue!r}"
            assert not [v for v in PERSONAL if v in str(issue)], f"a personal value in: {issue}"
        return "rejected"
    intake, where = result
    assert isinstance(intake, Intake) and where.startswith("entry[")
    return "accepted"


def test_malformed_bundles_are_rejected_with_located_issues_never_a_crash():
    seen: collections.Counter[str] = collections.Counter()

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(bundle_bytes())
    def parse(data):
        seen[outcome(data)] += 1

    parse()
    assert seen["rejected"] > 0 and seen["accepted"] > 0, dict(seen)
