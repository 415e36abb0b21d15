"""Fuzzing the parsers of outside data: generated malformed input, counted by outcome.

    .venv/bin/python bench/fuzz.py --n 12000                    # 3,000 inputs for each of the 4 parsers
    .venv/bin/python bench/fuzz.py --n 2000 --parsers profile   # one parser

The strategies are tests/fuzz_strategies.py's, as tests/test_fuzz.py runs them (a few hundred a
parser); here they run by the thousand. For each parser it prints how many inputs it got, how
many it rejected cleanly (InputError, every issue naming a row or a field), how many it accepted,
and how many broke the promise: a rejection no one could act on, or an uncaught exception. The
last two must be 0; the first input of each kind of crash is printed with its traceback, and the
exit status is 1 when there is any.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402

from tests.fuzz_strategies import TARGETS, BadRejection, BadResult, outcome  # noqa: E402


def fuzz(name: str, n: int, rng_seed: int) -> tuple[Counter, dict[str, tuple[str, str]]]:
    target = TARGETS[name]
    counts: Counter[str] = Counter()
    first: dict[str, tuple[str, str]] = {}  # kind of failure → (input, traceback)

    @seed(rng_seed)
    @settings(max_examples=n, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(target.strategy())
    def run(value):
        counts["inputs"] += 1
        try:
            counts[outcome(target, value)] += 1
        except (BadRejection, BadResult) as err:
            counts["broken promise"] += 1
            first.setdefault(f"{type(err).__name__}: {str(err)[:120]}", (repr(value), traceback.format_exc()))
        except Exception as err:  # the point of the exercise: every one is counted and shown
            counts["uncaught"] += 1
            where = traceback.extract_tb(err.__traceback__)[-1]
            first.setdefault(f"{type(err).__name__} in {where.name} ({Path(where.filename).name}:{where.lineno})",
                             (repr(value), traceback.format_exc()))

    run()
    return counts, first


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=12_000, help="inputs in total, shared evenly by the parsers")
    parser.add_argument("--parsers", nargs="+", choices=sorted(TARGETS), default=list(TARGETS))
    parser.add_argument("--seed", type=int, default=20260301)
    args = parser.parse_args(argv)

    each = max(args.n // len(args.parsers), 1)
    print(f"{each} inputs for each of {len(args.parsers)} parsers (seed {args.seed})")
    head = f"{'parser':<18}{'inputs':>8}{'rejected cleanly':>18}{'accepted':>10}{'broken promise':>16}{'uncaught':>10}{'s':>7}"
    print(head)
    totals: Counter[str] = Counter()
    failures: dict[str, dict[str, tuple[str, str]]] = {}
    for name in args.parsers:
        start = time.perf_counter()
        counts, first = fuzz(name, each, args.seed)
        took = time.perf_counter() - start
        totals.update(counts)
        failures[name] = first
        print(f"{name:<18}{counts['inputs']:>8}{counts['rejected']:>18}{counts['accepted']:>10}"
              f"{counts['broken promise']:>16}{counts['uncaught']:>10}{took:>7.1f}", flush=True)
    print(f"{'total':<18}{totals['inputs']:>8}{totals['rejected']:>18}{totals['accepted']:>10}"
          f"{totals['broken promise']:>16}{totals['uncaught']:>10}")

    for name, first in failures.items():
        for kind, (value, tb) in first.items():
            print(f"\n--- {name}: {kind}\ninput: {value[:600]}{'…' if len(value) > 600 else ''}\n{tb}")
    return 1 if totals["uncaught"] or totals["broken promise"] else 0


if __name__ == "__main__":
    sys.exit(main())
