"""The embedder: the packaged model by default, a models/NAME folder or a path, unit vectors, offline."""

from __future__ import annotations

import numpy as np
import pytest

from matcher import embedder as embedder_module
from matcher.embedder import DEFAULT_MODEL, resolve_model


def test_default_model_is_packaged_minilm(embedder):
    assert embedder.name == DEFAULT_MODEL and embedder.dim == 384


def test_vectors_are_unit_float32(embedder):
    v = embedder.encode(["a walking group", "benefits advice", ""])
    assert v.dtype == np.float32 and v.shape == (3, 384)
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)


def test_meaning_is_captured(embedder):
    a, b, c = embedder.encode(["I feel lonely since my wife died", "befriending and company for isolated people",
                               "repairing bicycles"])
    assert a @ b > a @ c


def test_batches_report_progress_and_keep_order(embedder):
    texts = [f"listing number {i} about {'walking' if i % 2 else 'debt'}" for i in range(70)]
    calls = []
    batched = embedder.encode(texts, batch_size=16, progress=lambda done, total: calls.append((done, total)))
    single = embedder.encode(texts[:3])
    assert calls[-1] == (70, 70) and len(calls) == 5
    assert np.allclose(batched[:3], single, atol=1e-5)


def test_models_folder_and_path(tmp_path, monkeypatch):
    _, packaged = resolve_model(None)
    models = tmp_path / "models"
    (models / "mini").mkdir(parents=True)
    for item in packaged.iterdir():
        (models / "mini" / item.name).symlink_to(item)
    monkeypatch.setattr(embedder_module, "MODELS_DIR", models)
    assert resolve_model("mini") == ("mini", (models / "mini").resolve())
    assert resolve_model(str(packaged))[1] == packaged.resolve()
    with pytest.raises(FileNotFoundError, match="models/nope"):
        resolve_model("nope")


def test_onnx_runtime_gives_sentence_transformers_vectors(embedder):
    """The fast runtime is exact: the same vectors as sentence-transformers through torch."""
    from sentence_transformers import SentenceTransformer

    assert embedder.runtime == "onnx"
    texts = ["I look after my mum, who has dementia, and I am exhausted", "Breathe Easy: a singing group for COPD",
             "Benefits checks and debt advice by phone", "ok", "Gŵyl Gymraeg i bawb – café de Noël, 漢字"]
    reference = SentenceTransformer(str(embedder.path), device="cpu", local_files_only=True)
    expected = reference.encode(texts, normalize_embeddings=True, convert_to_numpy=True)
    for got in (embedder.encode(texts), embedder.encode(texts, batch_size=2, progress=lambda *_: None)):
        assert np.all((got * expected).sum(axis=1) >= 0.9999)


def test_a_query_loads_no_torch(embedder):
    """Matching needs ONNX Runtime and the tokenizer only: no torch, transformers or sentence-transformers."""
    import subprocess
    import sys

    code = ("import sys; from matcher.embedder import load_embedder; v = load_embedder().encode(['a walk']); "
            "heavy = [m for m in ('torch', 'transformers', 'sentence_transformers') if m in sys.modules]; "
            "print(v.shape, heavy)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "(1, 384) []"


def test_int8_is_an_option_with_its_own_name(monkeypatch, embedder):
    """SIGNPOST_EMBEDDER=onnx-int8: the weights quantized locally from the export, vectors near the
    float32 ones but not the same, under another model name (so never mixed in one index or table)."""
    monkeypatch.setattr(embedder_module, "_LOADED", {})
    monkeypatch.setenv(embedder_module.RUNTIME_ENV, "onnx-int8")
    int8 = embedder_module.load_embedder()
    assert int8.name == embedder.name + embedder_module.INT8_SUFFIX and int8.runtime == "onnx-int8"
    texts = ["I look after my mum, who has dementia", "Breathe Easy: a singing group for COPD", "debt advice"]
    exact, fast = embedder.encode(texts), int8.encode(texts)
    cos = (exact * fast).sum(axis=1)
    assert np.all(cos > 0.9) and not np.allclose(cos, 1.0, atol=1e-4)
    assert np.allclose(np.linalg.norm(fast, axis=1), 1.0, atol=1e-5)
    monkeypatch.setenv(embedder_module.RUNTIME_ENV, "gpu")
    with pytest.raises(ValueError, match="SIGNPOST_EMBEDDER='gpu'.*onnx-int8"):
        embedder_module.Embedder()
