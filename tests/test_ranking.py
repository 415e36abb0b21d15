"""Ranking: need coverage weighs the greatest needs most; MMR serves several needs."""

from __future__ import annotations

import numpy as np

from directory.records import DOMAINS
from matcher.profile import parse_profile
from matcher.ranking import Blend, Lexicon, coverage, diversify, nearness, need_weights, query_text


def dom(*keys):
    row = np.zeros(len(DOMAINS), dtype=bool)
    for k in keys:
        row[DOMAINS.index(k)] = True
    return row


def test_lower_readings_weigh_more():
    w = need_weights(parse_profile({"needs": {"money": 2, "lifestyle": 8}}))
    c = coverage(np.array([dom("money"), dom("lifestyle"), dom("self_care")]), w)
    assert c[0] > c[1] > c[2] == 0


def test_query_text_puts_the_greatest_need_first():
    p = parse_profile({"needs": {"lifestyle": 6, "money": 2}, "goals": "Pay the gas bill", "conditions": ["COPD"]})
    text = query_text(p)
    assert text.index("money") < text.index("lifestyle")
    assert "Pay the gas bill" in text and "COPD" in text


def test_mmr_serves_each_need():
    """Ten near-identical walking groups score highest, but the second need still gets a place (the fixed
    blend's MMR: the learned ranker leaves each need's place to cover_needs)."""
    weights = need_weights(parse_profile({"needs": {"lifestyle": 2, "money": 3}}))
    rng = np.random.default_rng(0)
    walk = rng.normal(size=16)
    vecs = np.array([walk + rng.normal(scale=0.05, size=16) for _ in range(10)] + [rng.normal(size=16)])
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    domains = np.array([dom("lifestyle")] * 10 + [dom("money")])
    rel = np.array([0.9] * 10 + [0.6])
    picks = diversify(rel, vecs, domains, weights, 3, Blend(coverage=0.3, diversity=0.3, ranker=None))
    assert 10 in picks.tolist()
    assert len(set(picks.tolist())) == 3


def test_nearness_decays_with_distance():
    near = nearness(np.array([0.5, 4.0, np.nan]), np.array([True, True, False]), 5.0, Blend(), located=True)
    assert near[0] > near[1] and near[2] == Blend().remote_nearness


def test_lexicon_scores_matching_words():
    lex = Lexicon(["Food bank and energy bills", "Walking football", "Choir"])
    s = lex.scores("help with energy bills", np.array([0, 1, 2]))
    assert s[0] > 0 and s[1] == s[2] == 0


def test_domains_are_inferred_when_the_curator_left_them_blank(embedder):
    from matcher.domains import DOMAIN_DESCRIPTIONS, infer_domains, keyword_domains

    texts = ["Food bank. Emergency food parcels and help with energy bills and benefits.",
             "Befriending. A volunteer visits lonely older people at home for a chat every week.",
             "Mindfulness course. Eight weeks of calm for people living with anxiety and low mood."]
    vecs = embedder.encode(texts)
    proto = embedder.encode(list(DOMAIN_DESCRIPTIONS.values()))
    got = infer_domains(vecs, texts, proto)
    for row, domain in enumerate(["money", "social_relationships", "mental_wellbeing"]):
        assert got[row, DOMAINS.index(domain)], (texts[row], got[row])
    assert keyword_domains(["Debt advice"])[0, DOMAINS.index("money")]
    assert got.any(axis=1).all()  # every listing reachable by at least one need
