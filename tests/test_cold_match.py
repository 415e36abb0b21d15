"""A cold `signpost match` imports only what the query path uses (bench/cold.py times it)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from cli import main
from directory.store import Store

from .matcher_fixtures import HOME, small_directory

ROOT = Path(__file__).resolve().parent.parent
# Each cost a cold match 0.1-1.5 s of imports (bench/README.md) and none is needed to answer it.
NOT_LOADED = ("sklearn", "scipy", "pandas", "torch", "transformers", "sentence_transformers", "geopy", "requests",
              "fhir", "fpdf", "argon2", "zxcvbn", "directory.accounts", "directory.hsds", "directory.importer")
PROFILE = {"needs": {"social_relationships": 2, "money": 3}, "goals": "company and help with bills",
           "location": {"latitude": HOME[0], "longitude": HOME[1]}}
CODE = """import json, sys
from cli import main
code = main(sys.argv[1:])
wanted = %r
print(json.dumps({"code": code, "loaded": sorted(m for m in sys.modules if m in wanted or m.split(".")[0] in wanted)}))
"""


def cold_match(db: Path, profile: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", CODE % (NOT_LOADED,), "--db", str(db), "match", str(profile),
                           "--json"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    return {**json.loads(lines[-1]), "answer": json.loads(lines[0])}


def test_a_cold_match_loads_none_of_the_heavy_libraries(tmp_path, embedder):
    db = tmp_path / "s.db"
    with Store(db) as store:
        store.import_resources(small_directory(), actor="test")
    assert main(["--db", str(db), "index"]) == 0
    profile = tmp_path / "p.json"
    profile.write_text(json.dumps(PROFILE))
    prepared = cold_match(db, profile)  # the prepared snapshot `index` saved
    assert prepared["code"] == 0 and prepared["loaded"] == []
    shutil.rmtree(tmp_path / "s.index" / "prepared")
    read = cold_match(db, profile)  # every row read and parsed, domains inferred, BM25 fitted
    assert read["code"] == 0 and read["loaded"] == []
    assert read["answer"] == prepared["answer"] and prepared["answer"]["results"]
