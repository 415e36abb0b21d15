"""A learned linear ranker: one relevance per candidate from the signals of `ranking.SIGNALS` and
per-match normalised versions of them, with weights read from a small JSON file.

The weights are learned by bench/train_ranker.py (pairwise logistic regression over the labelled
development directories, its settings chosen by leave-one-directory-out cross-validation) and
stored in matcher/data/ranker.json. Matching reads them with numpy only: no scikit-learn or scipy
on the query path. Why per-match normalised features: a raw cosine of 0.45 is a strong match in one
directory's terse wording and a weak one in another's long blurbs; a candidate's rank and its
distance from the best candidate of the same match mean the same in both.
"""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

FORMAT = "signpost-linear-ranker"
VERSION = 1
DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "ranker.json"

# Signals used as they are (each already in [0, 1] over the candidates of one match).
RAW = ("semantic", "sentences", "per_need", "lexical", "coverage", "condition", "distance",
       "meets_top", "support_type", "type_any", "type_mismatch", "type_sim", "not_support", "hub",
       "own_language", "for_group")
# Signals that also enter normalised within the match: their scale differs between directories.
NORMALISED = ("semantic", "sentences", "per_need", "lexical")
# Reciprocal rank with this constant: the best candidate 1, the 10th about 0.5, the 100th 0.09.
RANK_K = 10.0
FEATURES = (*RAW, *(f"{s}_z" for s in NORMALISED), *(f"{s}_rank" for s in NORMALISED),
            *(f"{s}_gap" for s in NORMALISED))


def _ranks(values: np.ndarray) -> np.ndarray:
    """0-based rank of each value, greatest first (ties by position: stable)."""
    order = np.argsort(-values, kind="stable")
    ranks = np.empty(len(values))
    ranks[order] = np.arange(len(values))
    return ranks


def features(signals: dict[str, np.ndarray]) -> np.ndarray:
    """(c, len(FEATURES)) features of the c candidates of one match; a signal absent is 0."""
    n = len(next(iter(signals.values()))) if signals else 0
    if n == 0:
        return np.zeros((0, len(FEATURES)))
    zero = np.zeros(n)
    cols = [np.asarray(signals.get(name, zero), dtype=np.float64) for name in RAW]
    normal = [np.asarray(signals.get(name, zero), dtype=np.float64) for name in NORMALISED]
    for x in normal:
        cols.append((x - x.mean()) / (x.std() + 1e-6))
    for x in normal:
        cols.append(RANK_K / (RANK_K + _ranks(x)))
    for x in normal:
        cols.append(x - x.max())
    return np.column_stack(cols)


class RankerError(ValueError):
    """A ranker file that cannot be used: the message names the file and what is wrong."""


@dataclass(frozen=True)
class LinearRanker:
    """relevance = ((features - mean) / scale) @ weights. `info`: how it was trained (for people)."""

    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    info: dict

    def score(self, signals: dict[str, np.ndarray]) -> np.ndarray:
        return ((features(signals) - self.mean) / self.scale) @ self.weights

    def to_json(self) -> dict:
        return {"format": FORMAT, "version": VERSION, "features": list(FEATURES),
                "mean": [float(v) for v in self.mean], "scale": [float(v) for v in self.scale],
                "weights": [float(v) for v in self.weights], "info": self.info}

    @classmethod
    def from_json(cls, data: object, where: str = "ranker") -> LinearRanker:
        """Validated: the right format and version, exactly FEATURES, finite numbers, scales > 0."""
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise RankerError(f"{where}: not a {FORMAT} file")
        if data.get("version") != VERSION:
            raise RankerError(f"{where}: version {data.get('version')!r}, this code reads version {VERSION}")
        if data.get("features") != list(FEATURES):
            raise RankerError(f"{where}: trained on features {data.get('features')!r}, this code computes "
                              f"{list(FEATURES)}; train it again (bench/train_ranker.py)")
        arrays = {}
        for key in ("mean", "scale", "weights"):
            values = data.get(key)
            if not isinstance(values, list) or len(values) != len(FEATURES) \
                    or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
                raise RankerError(f"{where}: '{key}' must be {len(FEATURES)} numbers")
            arrays[key] = np.array(values, dtype=np.float64)
            if not np.isfinite(arrays[key]).all():
                raise RankerError(f"{where}: '{key}' holds a number that is not finite")
        if (arrays["scale"] <= 0).any():
            raise RankerError(f"{where}: every 'scale' must be above 0")
        info = data.get("info", {})
        return cls(arrays["mean"], arrays["scale"], arrays["weights"], info if isinstance(info, dict) else {})

    @classmethod
    def load(cls, path: str | Path) -> LinearRanker:
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise RankerError(f"{path}: cannot be read ({exc.strerror or exc})") from None
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise RankerError(f"{path}: not valid JSON ({exc})") from None
        return cls.from_json(data, str(path))

    def save(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(self.to_json(), indent=1) + "\n", encoding="utf-8")


def load_or_none(path: str | Path = DEFAULT_PATH) -> LinearRanker | None:
    """The ranker at `path`, or None with a warning saying the fixed blend ranks instead."""
    try:
        return LinearRanker.load(path)
    except RankerError as exc:
        warnings.warn(f"{exc}; ranking with the fixed blend (matcher.ranking.Blend) instead", stacklevel=2)
        return None


@lru_cache(maxsize=1)
def default_ranker() -> LinearRanker | None:
    """The shipped ranker (matcher/data/ranker.json), read once per process."""
    return load_or_none(DEFAULT_PATH)
