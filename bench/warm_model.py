"""Imported once by bench/faults.py's fork server (`--preloaded`): the command line's modules and the
model are loaded before any child is forked, as a preloading application server does, so each
killed `signpost index` child starts in milliseconds instead of seconds."""

import cli  # noqa: F401
from matcher.embedder import load_embedder
from matcher.recommender import Recommender  # noqa: F401

EMBEDDER = load_embedder()
