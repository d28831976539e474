"""The converter's parts without the model: Q4_0, the file reader, the charsmap, the tiny encoder."""

from __future__ import annotations

import struct

import numpy as np
import pytest
from tokenizers import normalizers

from matchmaker.search.core.encoders.base import Encoder
from matchmaker.search.core.encoders.charsmap import build_charsmap, lookup
from matchmaker.search.core.encoders.e5file import E5File, E5FileError, dequantize_q4_0

from ..tiny_encoder import TinyEncoder


def test_q4_0_block_layout_low_nibbles_first_then_high():
    block = np.zeros(1, dtype=[("d", "<f2"), ("qs", "u1", (16,))])
    block["d"] = 0.5
    block["qs"][0] = [(15 << 4) | 0, *[(8 << 4) | 9] * 15]
    values = dequantize_q4_0(block)
    assert values.dtype == np.float32 and values.shape == (32,)
    assert values[0] == -4.0 and values[16] == 3.5  # (0 - 8) * 0.5, (15 - 8) * 0.5
    assert np.all(values[1:16] == 0.5) and np.all(values[17:] == 0.0)


def test_packaged_file_header_and_vocabulary(e5_file):
    h = e5_file.header
    assert (h.hidden, h.layers, h.heads, h.ffn, h.max_positions) == (384, 12, 12, 1536, 512)
    vocab = e5_file.vocab
    assert [vocab.pieces[i] for i in (vocab.bos, vocab.pad, vocab.eos, vocab.unk)] == [
        "<s>",
        "<pad>",
        "</s>",
        "<unk>",
    ]
    assert vocab.normalisation[ord("Ａ")] == "A" and vocab.normalisation[ord("\t")] == " "
    assert e5_file.tensor("l0.fi.w", 1536).shape == (1536, 384)


def test_reader_rejects_foreign_and_truncated_files(tmp_path, e5_file):
    foreign = tmp_path / "foreign.bin"
    foreign.write_bytes(b"GGUF" + b"\0" * 100)
    with pytest.raises(E5FileError, match="bad magic"):
        E5File(foreign)
    truncated = tmp_path / "truncated.bin"
    truncated.write_bytes(e5_file.path.read_bytes()[:4096])
    with pytest.raises(E5FileError):
        E5File(truncated)
    with pytest.raises(E5FileError, match="cannot read"):
        E5File(tmp_path / "missing.bin")


def test_charsmap_maps_exactly_the_given_code_points():
    mapping = {ord("Ａ"): "A", ord("℃"): "°C", 0x01: "", ord("\t"): " ", 0x1F600: "x"}
    charsmap = build_charsmap(mapping)
    (size,) = struct.unpack_from("<I", charsmap)
    assert size % 4 == 0 and len(charsmap) > 4 + size
    for code_point, replacement in mapping.items():
        assert lookup(charsmap, chr(code_point).encode()) == replacement
    assert lookup(charsmap, b"B") is None and lookup(charsmap, "中".encode()) is None
    normaliser = normalizers.Precompiled(charsmap)
    assert normaliser.normalize_str("Ａ中\x01℃\t😀B") == "A中°C xB"


def test_packaged_normalisation_round_trips_through_the_charsmap(e5_file):
    mapping = e5_file.vocab.normalisation
    charsmap = build_charsmap(mapping)
    wrong = [cp for cp, out in mapping.items() if lookup(charsmap, chr(cp).encode()) != out]
    assert not wrong
    assert lookup(charsmap, "检".encode()) is None


def test_tiny_encoder_is_a_deterministic_encoder():
    encoder = TinyEncoder()
    assert isinstance(encoder, Encoder)
    texts = ["AOI视觉检测", "AOI视觉检测系统", "注塑工艺优化", ""]
    first, info = encoder.encode_documents(texts, return_info=True)
    assert np.array_equal(first, TinyEncoder().encode_documents(texts))
    assert np.allclose(np.linalg.norm(first, axis=1), 1.0)
    assert first[0] @ first[1] > first[0] @ first[2]
    assert info.truncated == (False,) * 4
