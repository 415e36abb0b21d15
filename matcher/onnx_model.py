"""A sentence-transformers model run through ONNX Runtime: the same vectors, without torch.

The transformer of a model folder is exported to ONNX once, locally, with torch (never downloaded),
and kept in a cache folder keyed by the weights it came from; from then on a process loads only
ONNX Runtime and the Rust tokenizer (0.1 s of imports instead of 5 s for torch, transformers and
sentence-transformers) and embeds a query on one thread, two to three times faster than torch on
2 cores (bench/README.md, "Embedding"). Pooling and normalisation are done here in numpy, exactly as
the model folder's `1_Pooling` and `Normalize` modules say.

A model folder this cannot run as written (other modules, other pooling, no tokenizer.json) is
reported by `supported()` and the embedder falls back to sentence-transformers.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

import numpy as np

CACHE_ENV = "SIGNPOST_MODEL_CACHE"
DEFAULT_CACHE = Path(__file__).resolve().parent.parent / "var" / "models"
_MODULES = {"sentence_transformers.models.Transformer", "sentence_transformers.models.Pooling",
            "sentence_transformers.models.Normalize"}
_WEIGHTS = ("model.safetensors", "pytorch_model.bin")
# Part of the export's cache key: a change to how `export` traces the model makes a new file.
EXPORT_FORMAT = "eager-attention-1"


def _read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def supported(folder: Path) -> bool:
    """True when the folder is a transformer + mean/CLS pooling (+ normalize) model with a tokenizer.json."""
    modules = _read_json(folder / "modules.json")
    if not isinstance(modules, list) or not modules or not (folder / "tokenizer.json").is_file():
        return False
    if any(m.get("type") not in _MODULES for m in modules):
        return False
    pooling = _pooling(folder)
    return pooling is not None and any((folder / w).is_file() for w in _WEIGHTS)


def _pooling(folder: Path) -> str | None:
    modules = _read_json(folder / "modules.json")
    path = next((m.get("path", "") for m in modules if m.get("type", "").endswith("Pooling")), None)
    if path is None:
        return None
    cfg = _read_json(folder / path / "config.json")
    modes = [k for k in ("pooling_mode_mean_tokens", "pooling_mode_cls_token", "pooling_mode_max_tokens",
                         "pooling_mode_mean_sqrt_len_tokens") if cfg.get(k)]
    return {"pooling_mode_mean_tokens": "mean", "pooling_mode_cls_token": "cls"}.get(modes[0]) if len(modes) == 1 \
        else None


def _normalized(folder: Path) -> bool:
    return any(m.get("type", "").endswith("Normalize") for m in _read_json(folder / "modules.json"))


def cache_path(folder: Path) -> Path:
    """Where the ONNX export of this folder's weights lives: one file per set of weights."""
    weights = next(folder / w for w in _WEIGHTS if (folder / w).is_file())
    st = weights.stat()
    key = hashlib.sha256(f"{EXPORT_FORMAT}|{weights.resolve()}|{st.st_size}|{st.st_mtime_ns}".encode()).hexdigest()[:16]
    root = Path(os.environ.get(CACHE_ENV) or DEFAULT_CACHE)
    return root / f"{folder.name}-{key}.onnx"


def export(folder: Path, target: Path) -> None:
    """Export the folder's transformer to ONNX with torch (the one time torch is needed), atomically."""
    import torch
    from transformers import AutoModel

    # Eager attention: its exported graph (MatMul, Softmax) runs ~7% faster in ONNX Runtime than the one
    # traced from scaled_dot_product_attention, with the same vectors (bench/README.md, "Embedding").
    base = AutoModel.from_pretrained(str(folder), local_files_only=True, attn_implementation="eager").eval()
    takes_types = "token_type_ids" in base.forward.__code__.co_varnames

    class Encoder(torch.nn.Module):
        def __init__(self, model):
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids=None):
            extra = {"token_type_ids": token_type_ids} if takes_types else {}
            return self.model(input_ids=input_ids, attention_mask=attention_mask, **extra).last_hidden_state

    ids = torch.ones(2, 8, dtype=torch.long)
    inputs = (ids, torch.ones_like(ids)) + ((torch.zeros_like(ids),) if takes_types else ())
    names = ["input_ids", "attention_mask"] + (["token_type_ids"] if takes_types else [])
    axes = {n: {0: "batch", 1: "tokens"} for n in [*names, "last_hidden_state"]}
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=target.name + ".", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        with torch.inference_mode():
            torch.onnx.export(Encoder(base), inputs, tmp, input_names=names, output_names=["last_hidden_state"],
                              dynamic_axes=axes, opset_version=17, dynamo=False)
        os.replace(tmp, target)  # another process exporting the same file at once writes the same bytes
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def quantize(source: Path, target: Path) -> None:
    """The int8 option: weights of every MatMul quantized per output channel (dynamic quantization:
    activations stay float and are quantized on the fly), from the float32 export, atomically."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    fd, tmp = tempfile.mkstemp(prefix=target.name + ".", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        quantize_dynamic(str(source), tmp, weight_type=QuantType.QInt8, per_channel=True)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


PRECISIONS = ("float32", "int8")


class OnnxSentenceModel:
    """Tokenise → ONNX transformer → pooling → unit vectors, float32. `precision` "int8" runs the
    weights quantized to int8 (models/README.md: faster, and not the same vectors)."""

    def __init__(self, folder: Path, precision: str = "float32"):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        if precision not in PRECISIONS:
            raise ValueError(f"precision {precision!r}: expected one of {', '.join(PRECISIONS)}")
        target = cache_path(folder)
        if not target.is_file():
            export(folder, target)
        if precision == "int8":
            source, target = target, target.with_name(target.stem + "-int8.onnx")
            if not target.is_file():
                quantize(source, target)
        self._folder = folder
        self._sessions: dict[int, object] = {}
        self._ort = ort
        self._target = target
        st_cfg = _read_json(folder / "sentence_bert_config.json")
        self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._tokenizer.enable_truncation(int(st_cfg.get("max_seq_length", 256)))
        pad = self._tokenizer.padding or {}
        self._tokenizer.enable_padding(pad_id=pad.get("pad_id", 0), pad_token=pad.get("pad_token", "[PAD]"))
        self._pooling = _pooling(folder)
        self._normalize = _normalized(folder)
        self._names = [i.name for i in self._session(1).get_inputs()]
        self.dim = int(self.encode(["x"]).shape[1])

    def _session(self, threads: int):
        """One session per thread count: a query runs on one thread (no spinning pool on a busy machine),
        a batch on every core."""
        if threads not in self._sessions:
            opts = self._ort.SessionOptions()
            opts.intra_op_num_threads = threads
            opts.inter_op_num_threads = 1
            self._sessions[threads] = self._ort.InferenceSession(str(self._target), opts,
                                                                 providers=["CPUExecutionProvider"])
        return self._sessions[threads]

    def encode(self, texts: list[str], threads: int = 1) -> np.ndarray:
        encoded = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = self._session(threads).run(None, {n: feed[n] for n in self._names})[0]
        if self._pooling == "cls":
            vecs = hidden[:, 0]
        else:
            vecs = (hidden * mask[..., None]).sum(axis=1) / np.clip(mask.sum(axis=1, keepdims=True), 1e-9, None)
        if self._normalize:
            vecs = vecs / np.clip(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12, None)
        return np.ascontiguousarray(vecs, dtype=np.float32)
