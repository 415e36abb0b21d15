"""Keyword match of a person's own words against listing texts: BM25 over stemmed words.

Stemming (Snowball English) lets "carer" meet "carers", "paint" meet "painting" and "walks" meet
"walking": the same thing said in a council feed and in a volunteer's blurb. The listing side is
a sparse matrix of BM25 term weights built once per snapshot; a query is its set of stems, so a
score is one sparse product over the candidate rows only.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import snowballstemmer
from scipy import sparse
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer

# BM25 constants as Robertson and Zaragoza give them (k1 1.2, b 0.75): listing texts are short and
# of similar length, so these are not tuned (bench/quality.py --lodo did not move with them).
K1 = 1.2
B = 0.75
_WORD = re.compile(r"[a-z][a-z']+")
_STEMMER = snowballstemmer.stemmer("english")


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    return _STEMMER.stemWord(word)


def analyse(text: str) -> list[str]:
    """Lower-cased stems of the words of `text`, English stop words left out."""
    words = (w.strip("'") for w in _WORD.findall(text.lower().replace("\u2019", "'")))
    return [_stem(w) for w in words if len(w) > 1 and w not in ENGLISH_STOP_WORDS]


class Lexicon:
    """BM25 over listing texts, fitted once per snapshot; scores only the candidate rows."""

    def __init__(self, texts: list[str]):
        self._vectorizer = CountVectorizer(analyzer=analyse)
        try:
            counts = self._vectorizer.fit_transform(texts).tocsr().astype(np.float64)
        except ValueError:  # no usable words at all (an empty directory)
            self._matrix = None
            return
        n = counts.shape[0]
        df = np.bincount(counts.indices, minlength=counts.shape[1])
        idf = np.log1p((n - df + 0.5) / (df + 0.5))
        length = np.asarray(counts.sum(axis=1)).ravel()
        norm = K1 * (1 - B + B * length / max(length.mean(), 1e-9))
        tf = counts.copy()
        rows = np.repeat(np.arange(n), np.diff(tf.indptr))
        tf.data = tf.data * (K1 + 1) / (tf.data + norm[rows]) * idf[tf.indices]
        self._matrix = sparse.csr_matrix(tf)

    def scores(self, query: str, rows: np.ndarray) -> np.ndarray:
        """BM25 of each candidate row for the query's distinct stems (0 where none occurs)."""
        if self._matrix is None or not query.strip() or len(rows) == 0:
            return np.zeros(len(rows))
        vocab = self._vectorizer.vocabulary_
        cols = sorted({vocab[s] for s in analyse(query) if s in vocab})
        if not cols:
            return np.zeros(len(rows))
        return np.asarray(self._matrix[rows][:, cols].sum(axis=1)).ravel()
