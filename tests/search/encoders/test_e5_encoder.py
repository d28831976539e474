"""The sentence-transformers encoder with the real model: ranking, bad input, truncation, order."""

from __future__ import annotations

import numpy as np
import pytest

from matchmaker.search.core.encoders.base import EncodeInfo, Encoder, EncoderSettings
from matchmaker.search.core.encoders.sentence import load_encoder

from .texts import CLEAR_PARAPHRASES, LONG_TEXT, VERIFICATION_TEXTS

BAD_INPUTS = (
    "",
    "   ",
    "\x00\x01\x02\x1b[31m",
    "😀🏭🤖" * 3,
    "中文English日本語한국어Русский",
    "\ud800孤立",
)

pytestmark = pytest.mark.slow  # the real model


@pytest.fixture(params=["fp32", "int8"])
def encoder(request, fp32_encoder, int8_encoder):
    return fp32_encoder if request.param == "fp32" else int8_encoder


def _unit_rows(vectors: np.ndarray, n: int, dim: int) -> None:
    assert vectors.shape == (n, dim) and vectors.dtype == np.float32
    assert np.all(np.isfinite(vectors))
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_implements_the_encoder_protocol(encoder):
    assert isinstance(encoder, Encoder)
    assert encoder.name == "multilingual-e5-small" and encoder.dim == 384


@pytest.mark.parametrize(
    "need,answer,distractor", CLEAR_PARAPHRASES, ids=[p[0] for p in CLEAR_PARAPHRASES]
)
def test_paraphrase_ranks_above_hard_distractor(encoder, need, answer, distractor):
    query = encoder.encode_queries([need])[0]
    docs = encoder.encode_documents([answer, distractor])
    scores = docs @ query
    assert scores[0] > scores[1], f"{need!r}: answer {scores[0]:.4f} <= distractor {scores[1]:.4f}"


def test_bad_input_always_gives_a_unit_vector(encoder):
    for encode in (encoder.encode_queries, encoder.encode_documents):
        _unit_rows(encode(list(BAD_INPUTS)), len(BAD_INPUTS), encoder.dim)
    assert encoder.encode_documents([]).shape == (0, encoder.dim)


def test_long_text_is_truncated_and_says_so(fp32_encoder):
    texts = ["短文本", LONG_TEXT, "另一条"]
    vectors, info = fp32_encoder.encode_documents(texts, return_info=True)
    _unit_rows(vectors, 3, 384)
    assert isinstance(info, EncodeInfo) and info.max_tokens == 512
    assert info.truncated == (False, True, False) and info.any_truncated
    assert info.token_counts[1] > 512 and fp32_encoder.last_truncated == info.truncated
    fp32_encoder.encode_queries(["短"])
    assert fp32_encoder.last_truncated == (False,)


def test_truncation_keeps_the_first_512_tokens(fp32_encoder):
    tokenizer = fp32_encoder.model.tokenizer
    ids = tokenizer("passage: " + LONG_TEXT, add_special_tokens=False)["input_ids"][:510]
    head = tokenizer.decode(ids)
    full, cut = fp32_encoder.encode_documents([LONG_TEXT, head.removeprefix("passage: ")])
    assert float(full @ cut) > 0.99


def test_order_and_batch_composition_do_not_change_vectors(fp32_encoder):
    texts = list(VERIFICATION_TEXTS[:20])
    batch = fp32_encoder.encode_documents(texts)
    shuffled_order = np.random.default_rng(0).permutation(len(texts))
    shuffled = fp32_encoder.encode_documents([texts[i] for i in shuffled_order])
    assert np.allclose(batch[shuffled_order], shuffled, atol=1e-5)
    one = np.stack([fp32_encoder.encode_documents([t])[0] for t in texts[:5]])
    assert np.allclose(batch[:5], one, atol=1e-4)


def test_queries_and_documents_get_e5_prefixes(fp32_encoder):
    text = "需要AOI视觉检测"
    query, doc = fp32_encoder.encode_queries([text])[0], fp32_encoder.encode_documents([text])[0]
    assert not np.allclose(query, doc)
    direct = fp32_encoder.model.encode(["query: " + text, "passage: " + text])
    assert np.allclose(direct[0], query, atol=1e-5) and np.allclose(direct[1], doc, atol=1e-5)


def test_fingerprint_names_model_source_and_mode(fp32_encoder, int8_encoder):
    assert fp32_encoder.fingerprint.startswith("multilingual-e5-small@")
    assert "/fp32/" in fp32_encoder.fingerprint and "/int8/" in int8_encoder.fingerprint


def test_loader_keeps_one_encoder_per_settings(built_model_dir, fp32_encoder):
    settings = EncoderSettings(model_dir=str(built_model_dir), quantize="fp32")
    assert load_encoder(settings) is fp32_encoder


def test_another_sentence_transformers_directory_by_configuration(built_model_dir, fp32_encoder):
    """SEARCH_MODEL may name any sentence-transformers directory: its prompts are used."""
    other = load_encoder(EncoderSettings(model=str(built_model_dir), quantize="fp32"))
    assert other.name == str(built_model_dir) and other is not fp32_encoder
    text = ["注塑工艺参数优化"]
    assert np.allclose(other.encode_queries(text), fp32_encoder.encode_queries(text), atol=1e-5)
    assert np.allclose(other.encode_documents(text), fp32_encoder.encode_documents(text), atol=1e-5)
