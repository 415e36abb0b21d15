"""Keyword match of a person's own words against listing texts: BM25 over stemmed words.

Stemming (Snowball English) lets "carer" meet "carers", "paint" meet "painting" and "walks" meet
"walking": the same thing said in a council feed and in a volunteer's blurb. The listing side is
a sparse matrix of BM25 term weights built once per snapshot, held as three numpy arrays (CSR:
row pointers, term columns, weights) so that it can be saved with the snapshot and memory-mapped
back; a query is its set of stems, so a score is a sum over the candidate rows' entries only.

Plain numpy rather than scikit-learn's CountVectorizer and scipy.sparse: importing those cost a
cold `signpost match` about a second (bench/cold.py). The weights are the same to the bit (terms in
alphabetical order, each row's entries in column order, as scipy.sparse holds CountVectorizer's
matrix); a row's score adds its few terms in order, where scipy may add them in another, so a score
can differ in its last bit (tests/test_lexical.py checks both on the demo directory).
"""

from __future__ import annotations

import importlib.util
import re
from array import array
from functools import lru_cache
from pathlib import Path

import numpy as np
import snowballstemmer

# BM25 constants as Robertson and Zaragoza give them (k1 1.2, b 0.75): listing texts are short and
# of similar length, so these are not tuned (bench/quality.py --lodo did not move with them).
K1 = 1.2
B = 0.75
_WORD = re.compile(r"[a-z][a-z']+")
_STEMMER = snowballstemmer.stemmer("english")


def _english_stop_words() -> frozenset[str]:
    """scikit-learn's English stop words (the Glasgow IR group's list), read from its one-list module
    without importing the sklearn package, whose __init__ pulls scipy (~1 s on a cold start)."""
    spec = importlib.util.find_spec("sklearn")
    where = Path(spec.submodule_search_locations[0]) / "feature_extraction" / "_stop_words.py" if spec else None
    if where is not None and where.is_file():
        module_spec = importlib.util.spec_from_file_location("_signpost_stop_words", where)
        module = importlib.util.module_from_spec(module_spec)
        module_spec.loader.exec_module(module)
        words = getattr(module, "ENGLISH_STOP_WORDS", None)
        if isinstance(words, frozenset) and words:
            return words
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS  # another layout: the slow way

    return ENGLISH_STOP_WORDS


ENGLISH_STOP_WORDS = _english_stop_words()


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    return _STEMMER.stemWord(word)


def analyse(text: str) -> list[str]:
    """Lower-cased stems of the words of `text`, English stop words left out."""
    words = (w.strip("'") for w in _WORD.findall(text.lower().replace("\u2019", "'")))
    return [_stem(w) for w in words if len(w) > 1 and w not in ENGLISH_STOP_WORDS]


def _counts(texts: list[str]) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """(terms, indptr, indices, counts): term counts per text as CSR over the alphabetically sorted
    terms, each row's entries in column order (as CountVectorizer and scipy.sparse leave them)."""
    vocab: dict[str, int] = {}
    # typed arrays, not lists: ~15 entries a listing, 15 million at 1M listings (0.1 GB, not 0.6 GB)
    indptr = array("q", [0])
    indices = array("q")
    values = array("q")
    for text in texts:
        row: dict[int, int] = {}
        for term in analyse(text):
            col = vocab.setdefault(term, len(vocab))
            row[col] = row.get(col, 0) + 1
        indices.extend(row)
        values.extend(row.values())
        indptr.append(len(indices))
    terms = sorted(vocab)
    new_col = np.empty(len(terms), dtype=np.int32)
    new_col[[vocab[t] for t in terms]] = np.arange(len(terms), dtype=np.int32)
    cols = new_col[np.frombuffer(indices, dtype=np.int64)] if indices else np.zeros(0, dtype=np.int32)
    ptr = np.frombuffer(indptr, dtype=np.int64).copy()
    owner = np.repeat(np.arange(len(texts)), np.diff(ptr))
    order = np.lexsort((cols, owner))
    return terms, ptr, cols[order], np.frombuffer(values, dtype=np.int64).astype(np.float64)[order]


class Lexicon:
    """BM25 over listing texts, fitted once per snapshot; scores only the candidate rows."""

    def __init__(self, texts: list[str]):
        terms, indptr, indices, counts = _counts(list(texts))
        n = len(indptr) - 1
        if not terms:  # no usable words at all (an empty directory)
            self._set([], None, None, None)
            return
        df = np.bincount(indices, minlength=len(terms))
        idf = np.log1p((n - df + 0.5) / (df + 0.5))
        length = np.add.reduceat(counts, indptr[:-1]) if len(counts) else np.zeros(n)
        length[np.diff(indptr) == 0] = 0.0  # reduceat gives an empty row its next row's first value
        norm = K1 * (1 - B + B * length / max(length.mean(), 1e-9))
        rows = np.repeat(np.arange(n), np.diff(indptr))
        data = counts * (K1 + 1) / (counts + norm[rows]) * idf[indices]
        self._set(terms, indptr, indices, data)

    def _set(self, terms: list[str], indptr, indices, data) -> None:
        self.terms = terms
        self._vocab = {t: j for j, t in enumerate(terms)}
        self.indptr, self.indices, self.data = indptr, indices, data

    @classmethod
    def from_arrays(cls, terms: list[str], indptr: np.ndarray, indices: np.ndarray, data: np.ndarray) -> Lexicon:
        """A fitted lexicon from `arrays()` as saved (the arrays may be memory-mapped)."""
        lex = cls.__new__(cls)
        if not terms:
            lex._set([], None, None, None)
        else:
            lex._set(list(terms), indptr, indices, data)
        return lex

    def arrays(self) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray] | None:
        """(terms, indptr, indices, data) to save; None for a lexicon of no words."""
        if not self.terms:
            return None
        return self.terms, self.indptr, self.indices, self.data

    def scores(self, query: str, rows: np.ndarray) -> np.ndarray:
        """BM25 of each candidate row for the query's distinct stems (0 where none occurs)."""
        if not self.terms or not query.strip() or len(rows) == 0:
            return np.zeros(len(rows))
        cols = {self._vocab[s] for s in analyse(query) if s in self._vocab}
        if not cols:
            return np.zeros(len(rows))
        rows = np.asarray(rows, dtype=np.int64)
        starts = self.indptr[rows]
        lens = self.indptr[rows + 1] - starts
        owner = np.repeat(np.arange(len(rows)), lens)
        pos = np.arange(int(lens.sum()), dtype=np.int64) + np.repeat(starts - (np.cumsum(lens) - lens), lens)
        want = np.zeros(len(self.terms), dtype=bool)
        want[list(cols)] = True
        hit = want[self.indices[pos]]
        out = np.bincount(owner[hit], weights=self.data[pos[hit]], minlength=len(rows))
        return out.astype(np.float64, copy=False)  # (bincount of no entries is int)
