"""A listing without curator domains serves what its support types serve (matcher/domains.py,
`Recommender._infer`), curator domains stay authoritative; and the two learned signals that say a
listing is made for the person: held in their own language (besides English), or only for their
gender or age group. Real model, real SQLite, real index."""

from __future__ import annotations

import numpy as np

from directory.records import DOMAINS
from directory.support_types import SUPPORT_TYPE_KEYS, get
from matcher import domains, learned
from matcher.ranking import Blend

from .matcher_fixtures import GAZETTEER, embedder, listing, open_directory  # noqa: F401


def test_the_domains_of_types_are_every_domain_each_type_serves():
    types = np.zeros((3, len(SUPPORT_TYPE_KEYS)), dtype=bool)
    types[0, SUPPORT_TYPE_KEYS.index("carers_support")] = True
    types[1, [SUPPORT_TYPE_KEYS.index("counselling"), SUPPORT_TYPE_KEYS.index("energy_advice")]] = True
    got = domains.domains_of_types(types)
    assert [d for j, d in enumerate(DOMAINS) if got[0, j]] == sorted(get("carers_support").domains, key=DOMAINS.index)
    assert {d for j, d in enumerate(DOMAINS) if got[1, j]} == {"mental_wellbeing", "money", "living_conditions"}
    assert not got[2].any()


def test_an_inferred_listing_serves_its_types_domains_and_a_curated_one_keeps_its_own(tmp_path, embedder):  # noqa: F811
    text = "Tea and a natter for anyone helping a relative. Monthly, church hall."
    with open_directory(tmp_path, embedder, [
        listing("TAG", description=text, domains=[], support_types=["carers_support"]),
        listing("CUR", description=text, domains=["lifestyle"], support_types=["carers_support"]),
    ]) as rec:
        got = rec.listing_domains()
    tagged, inferred = got["TAG"]
    assert inferred and set(get("carers_support").domains) <= set(tagged)
    assert got["CUR"] == (["lifestyle"], False)


def probe(signal: str) -> Blend:
    """A ranker that reads one signal only: its order is that signal's."""
    weights = np.zeros(len(learned.FEATURES))
    weights[learned.FEATURES.index(signal)] = 1.0
    n = len(learned.FEATURES)
    return Blend(ranker=learned.LinearRanker(np.zeros(n), np.ones(n), weights, {}))


PERSON = {"needs": {"social_relationships": 2}, "goals": "I would like to meet people.",
          "location": {"postcode": "G1 1AA"}, "max_distance_km": 10}


def test_a_listing_in_the_persons_own_language_is_told_apart(tmp_path, embedder):  # noqa: F811
    rooms = [listing("ENG", name="Coffee Morning"), listing("SOM", name="Somali Coffee Morning", languages=["so", "en"])]
    with open_directory(tmp_path, embedder, rooms, blend=probe("own_language")) as rec:
        somali = [r.id for r in rec.recommend({**PERSON, "languages": ["so", "en"]}, top_k=2).results]
        english = rec.recommend({**PERSON, "languages": ["en"]}, top_k=2)
    assert somali[0] == "SOM"
    assert {r.id for r in english.results} == {"ENG", "SOM"}  # only a signal: no one is turned away


def test_a_listing_only_for_the_persons_age_group_or_gender_is_told_apart(tmp_path, embedder):  # noqa: F811
    rooms = [listing("ALL", name="Coffee Morning", min_age=18),
             listing("OLD", name="Over 60s Coffee Morning", min_age=60),
             listing("WOM", name="Women's Coffee Morning", gender="female")]
    with open_directory(tmp_path, embedder, rooms, blend=probe("for_group")) as rec:
        older = [r.id for r in rec.recommend({**PERSON, "age": 71, "gender": "male"}, top_k=3).results]
        woman = [r.id for r in rec.recommend({**PERSON, "age": 30, "gender": "female"}, top_k=3).results]
    assert older[0] == "OLD" and older[-1] == "ALL"  # an 18+ limit is only an adult service
    assert woman[0] == "WOM" and "OLD" not in woman


# ---- Welsh: the English model cannot read it, its words are the evidence --------------------------
WELSH_LINE = "Llinell ffôn am ddim i siarad am eich iechyd meddwl, straen neu unigrwydd gyda gwirfoddolwr."


def test_welsh_words_and_their_mutations_name_the_domains_a_listing_serves():
    line, walk, money, english = domains.keyword_domains([
        WELSH_LINE, "Taith gerdded bob bore Gwener.", "Cyngor am ddim ar fudd-daliadau a dyledion.",
        "Tai Chi for beginners in the park."])
    named = lambda row: {d for j, d in enumerate(DOMAINS) if row[j]}  # noqa: E731
    assert {"mental_wellbeing", "social_relationships"} <= named(line)
    assert "lifestyle" in named(walk)  # "gerdded": the soft mutation of "cerdded"
    assert named(money) == {"money"}  # "fudd-daliadau" (budd-daliadau), "dyledion"
    assert "living_conditions" not in named(english)  # "tai" (houses) is not "Tai Chi"


def test_a_welsh_only_listing_is_offered_for_the_need_its_words_name(tmp_path, embedder):  # noqa: F811
    rooms = [listing("CY", name="Llinell Les", description=WELSH_LINE, domains=[], languages=["cy"],
                     delivery=["phone"], latitude=None, longitude=None),
             listing("EN", name="Tea Dance", description="Ballroom dancing and tea every Friday afternoon.",
                     domains=[], languages=["en"])]
    with open_directory(tmp_path, embedder, rooms) as rec:
        got = rec.listing_domains()
        offered = [r.id for r in rec.recommend({**PERSON, "languages": ["cy", "en"]}, top_k=2).results]
    # only what its words name: the English model's closest domains for Welsh text are noise
    assert got["CY"] == (["social_relationships", "mental_wellbeing"], True)
    assert "CY" in offered


def test_a_mostly_welsh_text_is_read_by_its_words_only_and_english_text_as_before(embedder):  # noqa: F811
    from directory.welsh import mostly_welsh

    unnamed = "Clwb gwau bob nos Fercher yn y festri. Dewch â'ch gweill. Croeso i bawb, am ddim."
    bilingual = "Caffi Trwsio / Repair Cafe. Bring your broken things and we will fix them with you, am ddim."
    assert mostly_welsh(WELSH_LINE) and mostly_welsh(unnamed)
    assert not mostly_welsh(bilingual) and not mostly_welsh("Tea and a chat for anyone who is lonely.")
    texts = [WELSH_LINE, unnamed, bilingual]
    dv = embedder.encode([domains.DOMAIN_DESCRIPTIONS[d] for d in DOMAINS])
    got = domains.infer_domains(embedder.encode(texts), texts, dv)
    assert {d for j, d in enumerate(DOMAINS) if got[0, j]} == {"mental_wellbeing", "social_relationships"}
    assert not got[1].any()  # mostly Welsh, and no word names a need (knitting is a type, not a domain word)
    assert got[2].sum() >= domains.MIN_INFERRED  # English and bilingual text keep the closest domains
