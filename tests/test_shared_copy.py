"""tests/shared is a copy of the public reference data in ../shared (contract examples, HSDS
examples): the same bytes, so the tests hold the promises others test against."""

from __future__ import annotations

from pathlib import Path

from .conftest import ROOT, SHARED

ORIGINAL = ROOT.parent / "shared"


def files_under(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_the_copy_holds_the_reference_data():
    copy = files_under(SHARED)
    assert {"contracts/example-directory.csv", "contracts/example-profile.json",
            "hsds-examples/hsds-3.0/service_full.json", "hsds-examples/README.md"} <= set(copy)
    assert len([n for n in copy if n.startswith("hsds-examples/")]) >= 60


def test_the_copy_equals_the_shared_originals_where_they_are():
    # On a machine with the project's ../shared beside the checkout, the copy must be byte-identical
    # to what it holds; a checkout on its own has only the copy, which the test above checks.
    if not (ORIGINAL / "contracts").is_dir():
        return
    copy = files_under(SHARED)
    for part in ("hsds-examples", "contracts"):
        original = {f"{part}/{k}": v for k, v in files_under(ORIGINAL / part).items()}
        if part == "contracts":
            original = {k: v for k, v in original.items() if k in copy}
        assert {k: v for k, v in copy.items() if k.startswith(part + "/")} == original
