"""The sentence-transformers encoder and its loader (lazy, once per process and settings).

Texts are tokenised once to learn their length (and whether they will be truncated), sorted by
length so that a batch pays for little padding, run through the model's own modules
(transformer, pooling, normalisation) and put back in the caller's order.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .base import BUILD_COMMAND, EncodeInfo, EncoderSettings, ModelUnavailable, default_threads
from .build import DEFAULT_MODEL, read_build_info


class SentenceTransformerEncoder:
    """An `Encoder` over a loaded `SentenceTransformer`."""

    def __init__(
        self,
        model,
        *,
        name: str,
        fingerprint: str,
        query_prefix: str = "",
        document_prefix: str = "",
        batch_size: int = 16,
    ) -> None:
        self.model = model
        self.name = name
        self._fingerprint = fingerprint
        self.query_prefix, self.document_prefix = query_prefix, document_prefix
        self.batch_size = batch_size
        self.max_tokens = int(model.max_seq_length or 512)
        self.last_info: EncodeInfo | None = None

    @property
    def dim(self) -> int:
        return int(self.model.get_embedding_dimension())

    @property
    def fingerprint(self) -> str:
        return self._fingerprint

    @property
    def last_truncated(self) -> tuple[bool, ...]:
        return self.last_info.truncated if self.last_info else ()

    def encode_queries(self, texts: Sequence[str], *, return_info: bool = False):
        return self._encode(texts, self.query_prefix, return_info)

    def encode_documents(self, texts: Sequence[str], *, return_info: bool = False):
        """Vectors; with `return_info=True` a pair (vectors, EncodeInfo) telling what was truncated."""
        return self._encode(texts, self.document_prefix, return_info)

    def token_counts(self, texts: Sequence[str]) -> list[int]:
        """Tokens each text would feed the model, special tokens included, before truncation."""
        tokenizer = getattr(self.model, "tokenizer", None)
        if tokenizer is None:
            return [len(t) for t in texts]
        encoded = tokenizer(list(texts), add_special_tokens=True, truncation=False, verbose=False)
        return [len(ids) for ids in encoded["input_ids"]]

    def _encode(self, texts: Sequence[str], prefix: str, return_info: bool):
        if isinstance(texts, str):
            raise TypeError("encode a sequence of texts, not a single string")
        inputs = [prefix + _clean(t) for t in texts]
        counts = self.token_counts(inputs) if inputs else []
        info = EncodeInfo(
            token_counts=tuple(counts),
            truncated=tuple(n > self.max_tokens for n in counts),
            max_tokens=self.max_tokens,
        )
        self.last_info = info
        vectors = self._forward_sorted(inputs, counts)
        return (vectors, info) if return_info else vectors

    def _forward_sorted(self, inputs: list[str], counts: list[int]) -> np.ndarray:
        import torch

        out = np.zeros((len(inputs), self.dim), dtype=np.float32)
        if not inputs:
            return out
        order = np.argsort(np.asarray(counts, dtype=np.int64), kind="stable")
        with torch.inference_mode():
            for start in range(0, len(order), self.batch_size):
                rows = order[start : start + self.batch_size]
                features = self.model.preprocess([inputs[i] for i in rows])
                embedding = self.model(features)["sentence_embedding"]
                out[rows] = embedding.float().cpu().numpy()
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-12)


def _clean(text) -> str:
    """Any value to a string the tokenizer accepts: lone surrogates become "?", NULs go."""
    if text is None:
        return ""
    text = text if isinstance(text, str) else str(text)
    return text.encode("utf-8", "replace").decode("utf-8").replace("\x00", "")


def load_encoder(settings: EncoderSettings) -> SentenceTransformerEncoder:
    """The encoder for `settings`, loaded on first use and kept for the process.

    Raises ModelUnavailable (not cached: a later call retries) when the model is missing or
    unreadable; the message says what to run.
    """
    return _load_cached(settings)


@functools.lru_cache(maxsize=4)
def _load_cached(settings: EncoderSettings) -> SentenceTransformerEncoder:
    import torch

    torch.set_num_threads(settings.threads or default_threads())
    if settings.model == DEFAULT_MODEL:
        return _load_built(settings)
    return _load_other(settings)


def _load_built(settings: EncoderSettings) -> SentenceTransformerEncoder:
    path = Path(settings.model_dir or "")
    info = read_build_info(path) if settings.model_dir else None
    if info is None or not (path / "model.safetensors").is_file():
        raise ModelUnavailable(
            f"The search model {DEFAULT_MODEL} is not built in {path}. Run: {BUILD_COMMAND}"
        )
    model = _open(str(path), f"The search model in {path} is unreadable. Run: {BUILD_COMMAND}")
    int8 = _wants_int8(settings.quantize, bool(info.get("int8", {}).get("auto_uses_int8")))
    model = _prepare(model, settings, int8)
    mode = "int8" if int8 else "fp32"
    fingerprint = (
        f"{DEFAULT_MODEL}@{info['source_sha256'][:12]}/c{info['converter_version']}"
        f"/{mode}/{model.max_seq_length}"
    )
    return SentenceTransformerEncoder(
        model,
        name=DEFAULT_MODEL,
        fingerprint=fingerprint,
        query_prefix=info.get("query_prefix", ""),
        document_prefix=info.get("document_prefix", ""),
        batch_size=settings.batch_size,
    )


def _load_other(settings: EncoderSettings) -> SentenceTransformerEncoder:
    model = _open(
        settings.model,
        f"Cannot load the sentence-transformers model {settings.model!r} offline: set SEARCH_MODEL "
        f"to a model directory (or a hub name already in the local cache), or unset it and run: "
        f"{BUILD_COMMAND}",
    )
    int8 = _wants_int8(settings.quantize, False)
    model = _prepare(model, settings, int8)
    prompts = getattr(model, "prompts", None) or {}
    return SentenceTransformerEncoder(
        model,
        name=settings.model,
        fingerprint=f"{settings.model}/{'int8' if int8 else 'fp32'}/{model.max_seq_length}",
        query_prefix=prompts.get("query", ""),
        document_prefix=prompts.get("document", prompts.get("passage", "")),
        batch_size=settings.batch_size,
    )


def _open(name: str, message: str):
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        return SentenceTransformer(name, device="cpu", local_files_only=True)
    except Exception as exc:  # corrupt files raise many kinds of errors
        raise ModelUnavailable(f"{message} ({type(exc).__name__}: {exc})") from exc


def _wants_int8(mode: str, auto_decision: bool) -> bool:
    return mode == "int8" or (mode == "auto" and auto_decision)


def _prepare(model, settings: EncoderSettings, int8: bool):
    model.eval()
    if settings.max_seq_length:
        model.max_seq_length = settings.max_seq_length
    if not int8:
        return model
    from .quantize import quantize_model  # imports torch: only when a model is loaded

    return quantize_model(model)
