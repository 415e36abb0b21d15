"""Start the app warm: `python scripts/serve_warm.py [streamlit options]` (what `make app` runs).

The model, the index and one search with no personal data are loaded in this process first
(ui.warm), then Streamlit starts in the same process through its public `python -m streamlit run`
entry, so the server reports healthy only once a first search is as fast as any other. It runs
`serve.py`: the app behind its anti-framing headers and Host check.
"""

from __future__ import annotations

import os
import runpy
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
sys.path.insert(0, str(ROOT))


def main() -> None:
    from ui.warm import warm

    took = warm()
    print("Signpost warmed: " + ", ".join(f"{k} {v:.1f}" for k, v in took.items()), file=sys.stderr, flush=True)
    sys.argv = ["streamlit", "run", str(ROOT / "serve.py"), *sys.argv[1:]]
    runpy.run_module("streamlit", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
