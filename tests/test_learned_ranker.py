"""The learned ranker (matcher/learned.py): the shipped weights load and are what matching uses; a
damaged weights file is refused with a message naming the file and the fault, and matching then
falls back to the fixed blend, saying so; the query path imports neither scikit-learn nor scipy."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

from directory.store import Store
from matcher import learned
from matcher.ranking import Blend

from .matcher_fixtures import GAZETTEER, embedder, listing, open_directory  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent


def carers_directory():
    return [
        listing("JOB", name="Next Steps Job Club", domains=["work_volunteering", "mental_wellbeing"],
                description="A weekly job club: CVs, interviews and confidence for getting back to work."),
        listing("CAR", name="Eastside Carers' Group", domains=["social_relationships", "mental_wellbeing"],
                description="Unpaid carers of someone with dementia meet for a break, a chat and advice."),
        listing("MIN", name="Mindfulness for Stress", domains=["mental_wellbeing"],
                description="An eight-week mindfulness course for stress, anxiety and low mood."),
    ]


CARER = {"needs": {"mental_wellbeing": 2, "social_relationships": 3, "work_volunteering": 5},
         "goals": "I look after my husband, he has dementia. I'm worn out and I never see anyone."}


def test_the_shipped_weights_load_and_are_what_matching_uses():
    ranker = learned.LinearRanker.load(learned.DEFAULT_PATH)
    assert len(ranker.weights) == len(learned.FEATURES)
    assert ranker.info["trained_on"] == ["bradford", "glasgow", "swansea", "western-sydney"]
    assert np.array_equal(Blend().ranker.weights, ranker.weights)
    assert Blend(ranker=None).ranker is None


def test_a_carer_gets_the_carers_group_above_a_job_club(tmp_path, embedder):  # noqa: F811
    with open_directory(tmp_path, embedder, carers_directory()) as rec:
        assert rec.blend.ranker is not None
        got = [r.id for r in rec.recommend(CARER, top_k=3).results]
    assert got[0] == "CAR", got
    assert got.index("CAR") < got.index("JOB")


def test_features_are_per_match_and_the_score_is_their_weighted_sum():
    signals = {"semantic": np.array([0.2, 0.6, 0.4]), "lexical": np.array([0.0, 1.0, 0.5])}
    X = learned.features(signals)
    assert X.shape == (3, len(learned.FEATURES))
    col = {name: X[:, j] for j, name in enumerate(learned.FEATURES)}
    assert col["semantic_rank"].tolist() == [learned.RANK_K / (learned.RANK_K + r) for r in (2, 0, 1)]
    assert col["semantic_gap"].tolist() == pytest.approx([-0.4, 0.0, -0.2])
    assert not col["condition"].any()  # a signal absent is 0
    weights = np.zeros(len(learned.FEATURES))
    weights[learned.FEATURES.index("lexical")] = 2.0
    ranker = learned.LinearRanker(np.zeros_like(weights), np.ones_like(weights), weights, {})
    assert ranker.score(signals).tolist() == [0.0, 2.0, 1.0]
    assert learned.features({}).shape == (0, len(learned.FEATURES))


def good_json() -> dict:
    return json.loads(learned.DEFAULT_PATH.read_text(encoding="utf-8"))


@pytest.mark.parametrize(("damage", "message"), [
    (lambda d: d.update(format="something else"), "not a signpost-linear-ranker file"),
    (lambda d: d.update(version=99), "version 99"),
    (lambda d: d.update(features=d["features"][:-1]), "trained on features"),
    (lambda d: d["weights"].pop(), "'weights' must be"),
    (lambda d: d["mean"].__setitem__(0, "x"), "'mean' must be"),
    (lambda d: d["scale"].__setitem__(2, 0.0), "'scale' must be above 0"),
])
def test_a_damaged_file_is_refused_naming_the_file_and_the_fault(tmp_path, damage, message):
    data = good_json()
    damage(data)
    path = tmp_path / "ranker.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(learned.RankerError, match=message) as err:
        learned.LinearRanker.load(path)
    assert str(path) in str(err.value)


def test_a_file_that_is_not_json_or_missing_is_refused(tmp_path):
    bad = tmp_path / "ranker.json"
    bad.write_bytes(b"{\"format\": \"signpost-linear-ranker\", \"weights\": [1, 2,")
    with pytest.raises(learned.RankerError, match="not valid JSON"):
        learned.LinearRanker.load(bad)
    with pytest.raises(learned.RankerError, match="cannot be read"):
        learned.LinearRanker.load(tmp_path / "absent.json")


def test_a_damaged_file_falls_back_to_the_fixed_blend_saying_so(tmp_path, embedder):  # noqa: F811
    bad = tmp_path / "ranker.json"
    bad.write_text("[]", encoding="utf-8")
    with pytest.warns(UserWarning, match="ranking with the fixed blend"):
        ranker = learned.load_or_none(bad)
    assert ranker is None
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with open_directory(tmp_path, embedder, carers_directory(), blend=Blend(ranker=ranker)) as rec:
            recs = rec.recommend(CARER, top_k=3)
    assert recs.results and all(r.needs_met for r in recs.results)  # still a ranking, from the fixed blend
    assert recs.results[0].id == "CAR"


def test_the_saved_ranker_reads_back_the_same(tmp_path):
    ranker = learned.LinearRanker.load(learned.DEFAULT_PATH)
    ranker.save(tmp_path / "copy.json")
    again = learned.LinearRanker.load(tmp_path / "copy.json")
    assert np.array_equal(again.weights, ranker.weights) and again.info == ranker.info


def run_python(code: str) -> str:
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300,
                         env={"PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout.strip().splitlines()[-1]


def test_the_learned_ranker_reads_its_weights_and_scores_with_numpy_alone():
    code = """
import sys
import numpy as np
from matcher import learned
ranker = learned.LinearRanker.load(learned.DEFAULT_PATH)
ranker.score({"semantic": np.array([0.1, 0.5]), "lexical": np.array([1.0, 0.0])})
print(sorted({m.split('.')[0] for m in sys.modules} & {'sklearn', 'scipy'}))
"""
    assert run_python(code) == "[]"


def test_a_match_with_the_learned_ranker_loads_no_scikit_learn_or_scipy_module(tmp_path):
    """(The lexical index, matcher/lexical.py, brings its own; the ranker adds none.)"""
    db = tmp_path / "d.db"
    with Store(str(db)) as store:
        store.import_resources(carers_directory())
    code = f"""
import sys
from matcher.recommender import Recommender
with Recommender.open({str(db)!r}, index_dir={str(tmp_path / 'ix')!r}) as rec:
    assert rec.blend.ranker is not None
    before = set(sys.modules)
    rec.recommend({CARER!r}, top_k=3)
print(sorted(m for m in set(sys.modules) - before if m.split('.')[0] in ('sklearn', 'scipy')))
"""
    assert run_python(code) == "[]"


def test_a_group_for_people_the_person_is_not_is_a_mismatch():
    from directory.support_types import SUPPORT_TYPE_KEYS
    from matcher.support_types import audience_mismatch

    def row(*keys):
        out = np.zeros(len(SUPPORT_TYPE_KEYS), dtype=bool)
        out[[SUPPORT_TYPE_KEYS.index(k) for k in keys]] = True
        return out

    offered = np.array([row("lung_health", "singing_music"), row("social_groups"), row("carers_support")])
    assert audience_mismatch(offered, row("social_groups")).tolist() == [True, False, True]
    assert audience_mismatch(offered, row("carers_support")).tolist() == [True, False, False]


def test_a_lonely_person_gets_the_social_club_above_a_copd_group_and_a_job_advert(tmp_path, embedder):  # noqa: F811
    rec_listings = [
        listing("COPD", name="Breathe Easy Group", domains=["managing_symptoms", "social_relationships"],
                description="A friendly social group for people living with COPD and other lung conditions."),
        listing("JOBS", name="Care Assistants Wanted", domains=["work_volunteering", "social_relationships"],
                description="We are recruiting care assistants: paid job vacancy, apply with your CV."),
        listing("CLUB", name="Thursday Friendship Club", domains=["social_relationships"],
                description="Tea, cake and a chat for anyone who feels lonely or wants to make new friends."),
    ]
    with open_directory(tmp_path, embedder, rec_listings) as rec:
        got = [r.id for r in rec.recommend({"needs": {"social_relationships": 2},
                                            "goals": "Since I retired I hardly see anyone. I'd like some company."},
                                           top_k=3).results]
    assert got[0] == "CLUB", got
