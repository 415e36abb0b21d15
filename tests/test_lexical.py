"""The numpy BM25 gives the scikit-learn implementation's scores (to the last bit of the weights, to an ulp
of the sums: scipy adds a row's few terms in its own order), and loads none of it."""

from __future__ import annotations

import subprocess
import sys

import numpy as np

from directory.csv_io import read_csv
from matcher import lexical
from matcher.snapshot import listing_text

DEMO = "directory/data/demo_directory.csv"
QUERIES = ["I look after my mum, who has dementia, and I am exhausted", "help with energy bills and debt",
           "walking football for older men", "singing group for COPD", "lonely since my wife died",
           "Food bank", "carers' café; painting & crafts", "the and of", "", "zzzz qqqq"]


class ReferenceLexicon:
    """The implementation this replaced: CountVectorizer over the same analyser, scipy.sparse BM25."""

    def __init__(self, texts):
        from scipy import sparse
        from sklearn.feature_extraction.text import CountVectorizer

        self.vectorizer = CountVectorizer(analyzer=lexical.analyse)
        counts = self.vectorizer.fit_transform(texts).tocsr().astype(np.float64)
        n = counts.shape[0]
        df = np.bincount(counts.indices, minlength=counts.shape[1])
        idf = np.log1p((n - df + 0.5) / (df + 0.5))
        length = np.asarray(counts.sum(axis=1)).ravel()
        norm = lexical.K1 * (1 - lexical.B + lexical.B * length / max(length.mean(), 1e-9))
        tf = counts.copy()
        rows = np.repeat(np.arange(n), np.diff(tf.indptr))
        tf.data = tf.data * (lexical.K1 + 1) / (tf.data + norm[rows]) * idf[tf.indices]
        self.matrix = sparse.csr_matrix(tf)

    def scores(self, query, rows):
        vocab = self.vectorizer.vocabulary_
        cols = sorted({vocab[s] for s in lexical.analyse(query) if s in vocab})
        if not cols or not query.strip() or len(rows) == 0:
            return np.zeros(len(rows))
        return np.asarray(self.matrix[rows][:, cols].sum(axis=1)).ravel()


def test_same_scores_as_scikit_learn_on_the_demo_directory():
    texts = [listing_text(r) for r in read_csv(DEMO)] + ["", "a an the", "Walking. Walking! walks, walked"]
    ours, ref = lexical.Lexicon(texts), ReferenceLexicon(texts)
    assert ours.terms == ref.vectorizer.get_feature_names_out().tolist()
    assert np.array_equal(ours.indptr, ref.matrix.indptr) and np.array_equal(ours.indices, ref.matrix.indices)
    assert np.array_equal(ours.data, ref.matrix.data)  # the BM25 weights themselves: bit for bit
    rng = np.random.default_rng(3)
    row_sets = [np.arange(len(texts)), rng.permutation(len(texts))[:200], np.array([5, 5, 0]), np.array([], int)]
    compared = 0
    for query in QUERIES + [texts[i] for i in rng.choice(len(texts) - 3, 20, replace=False)]:
        for rows in row_sets:
            got, want = ours.scores(query, rows), ref.scores(query, rows)
            assert got.dtype == want.dtype and got.shape == want.shape
            assert np.array_equal(got == 0, want == 0), query
            assert np.allclose(got, want, rtol=1e-14, atol=0), query
            compared += int((want > 0).sum())
    assert compared > 1000  # the comparison saw real matches, not only zeros


def test_saved_arrays_give_the_same_scores():
    texts = [listing_text(r) for r in read_csv(DEMO)]
    lex = lexical.Lexicon(texts)
    back = lexical.Lexicon.from_arrays(*lex.arrays())
    rows = np.arange(len(texts))
    assert np.array_equal(back.scores(QUERIES[0], rows), lex.scores(QUERIES[0], rows))


def test_no_words_at_all_scores_zero():
    lex = lexical.Lexicon(["", "the a of"])
    assert lex.arrays() is None
    assert np.array_equal(lex.scores("walking", np.array([0, 1])), np.zeros(2))
    assert np.array_equal(lexical.Lexicon([]).scores("walking", np.array([], int)), np.zeros(0))


def test_stop_words_are_scikit_learns():
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    assert lexical.ENGLISH_STOP_WORDS == ENGLISH_STOP_WORDS


def test_the_lexicon_loads_neither_sklearn_nor_scipy():
    code = ("import sys; from matcher.lexical import Lexicon; Lexicon(['Walking group']).scores('walk', [0]); "
            "print([m for m in ('sklearn', 'scipy') if m in sys.modules])")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
