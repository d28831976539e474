"""Contrastive fine-tuning of the built e5-small on pairs from the taxonomy (issue 17 item 2),
measured against the base model on the three judged sets. Tried and dropped: see README
"Matching quality"; this script reproduces the figures.

The pairs come only from `matchmaker/scenarios/data/taxonomy.json`: for each of the 104
templates, its example wording ↔ its title, its pain point ↔ its title, its example wording
↔ its pain point (anchor encoded as e5 "query: ", positive as "passage: ", as the encoder
does for a free-text query and a stored text). A taxonomy text equal to any text of the
judged sets is left out (one template title equals an offering title of devset_hard.json),
and `pairs` prints how close the rest come to the judged texts. Batches never hold two pairs
of one template (they would be false in-batch negatives).

Training (`train`): sentence-transformers' MultipleNegativesRankingLoss (in-batch negatives,
scale 20), AdamW, linear warm-up over the first 10 % of steps then linear decay, gradient
clipping 1.0, word embeddings frozen (96 M of the 118 M parameters: they would cost 0.8 GB
of optimizer state and most of the time), sequences cut at 128 tokens (every taxonomy text
fits). Deterministic: one seed for the batch order and dropout, `torch.manual_seed`, a fixed
thread count, `torch.use_deterministic_algorithms(True)`; the result's SHA-256 is printed.
The output directory is a copy of the built model with the tuned weights and its own
`matchmaker_build.json` (the int8 check re-measured, a `finetune` record), so it loads like
the built model: `SEARCH_MODEL_DIR=OUT`.

Evaluation (`eval`): for each model directory and quantisation (auto = what the product runs,
and fp32), each judged set ranked with the engine of `flask search eval`
(`evalset.ComponentScores`, the taxonomy's 104 templates): dense (need as a query), dense
stored (need as a passage, as on the need page), the shipped hybrid with the product weights
(0.50 / 0.40 / 0.10) and the hybrid with weights refitted on one half of the needs of all
three sets (grid 0.05, objective mean nDCG@10) and reported on the other; each on the odd
needs ("report", the usual held-out half) and the even ones ("swapped").

    date -u  # not while the machine is reserved
    SEARCH_MODEL_DIR=/tmp/finetune/base MATCHMAKER_INSTANCE=/tmp/finetune/inst \\
        .venv/bin/python -m flask --app wsgi search model build
    .venv/bin/python scripts/finetune_encoder.py pairs
    .venv/bin/python scripts/finetune_encoder.py train /tmp/finetune/base /tmp/finetune/ft-a
    .venv/bin/python scripts/finetune_encoder.py train /tmp/finetune/base /tmp/finetune/ft-b --lr 5e-5
    .venv/bin/python scripts/finetune_encoder.py eval /tmp/finetune/base /tmp/finetune/ft-a \\
        --out /tmp/finetune/results.json
    .venv/bin/python scripts/finetune_encoder.py eval /tmp/finetune/ft-b --quantize auto \\
        --out /tmp/finetune/results.json

What it showed (5 December 2026, 2 busy cores): 304 pairs, 11 steps (the greedy packing leaves a
last batch of one pair, whose loss is 0), 143–269 s of training at load average 3.8–6.4, the same
weights on a second run. Dense alone gains on the two sets in plant wording (int8, plant set
nDCG@10 +0.051 / +0.083 on the odd / even needs), but the shipped hybrid does not (devset −0.012,
plant −0.010 on the odd needs; lr 5e-5: plant −0.029), so the build does not fine-tune.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from matchmaker.search.core.documents import Template  # noqa: E402
from matchmaker.search.core.encoders.build import (  # noqa: E402
    BUILD_INFO,
    DOCUMENT_PREFIX,
    QUERY_PREFIX,
    _file_sizes,
    measure_int8,
    read_build_info,
)
from matchmaker.search.core.evaluation import mean_metrics, weight_grid  # noqa: E402

TAXONOMY = ROOT / "matchmaker/scenarios/data/taxonomy.json"
SETS = [ROOT / f"tests/data/{name}.json" for name in ("devset", "devset_hard", "devset_plant")]
# (anchor field, positive field): anchor as an e5 query, positive as a passage.
PAIR_KINDS = (
    ("example_zh", "title_zh"),
    ("pain_point_zh", "title_zh"),
    ("example_zh", "pain_point_zh"),
)
NEAR_COPY = 0.6
SHIPPED = {"dense": 0.50, "lexical": 0.40, "taxonomy": 0.10}


@dataclass(frozen=True)
class Pair:
    template: str
    kind: str
    anchor: str
    positive: str


def judged_texts() -> set[str]:
    """Every text of the judged sets as it could appear: title, description, both joined."""
    out: set[str] = set()
    for path in SETS:
        data = json.loads(path.read_text(encoding="utf-8"))
        for doc in data["needs"] + data["offerings"]:
            title, desc = doc.get("title", ""), doc.get("description", "")
            out.update(t.strip() for t in (title, desc, f"{title}。{desc}") if t.strip())
    return out


def _normalised(text: str) -> str:
    return re.sub(r"[\W_]+", "", text)


def near_copy(text: str, judged: list[set[str]]) -> bool:
    """Whether `text` is (nearly) a text of the judged sets: character-bigram Jaccard
    ≥ NEAR_COPY after dropping spaces and punctuation ("晶圆缺陷自动分类（ADC）" is the
    offering title "晶圆缺陷自动分类ADC")."""
    grams = _grams(_normalised(text), 2)
    return any(len(grams & g) >= NEAR_COPY * max(1, len(grams | g)) for g in judged)


def taxonomy_pairs(excluded: set[str]) -> tuple[list[Pair], list[str]]:
    """The training pairs, and the taxonomy texts left out because a judged set holds them
    (or a near copy of them)."""
    templates = json.loads(TAXONOMY.read_text(encoding="utf-8"))["templates"]
    judged = [_grams(_normalised(j), 2) for j in excluded]
    copies: dict[str, bool] = {}
    pairs, dropped = [], []
    for t in templates:
        for a, p in PAIR_KINDS:
            anchor, positive = t.get(a, "").strip(), t.get(p, "").strip()
            if not anchor or not positive:
                continue
            for x in (anchor, positive):
                if x not in copies:
                    copies[x] = x in excluded or near_copy(x, judged)
            leaked = [x for x in (anchor, positive) if copies[x]]
            if leaked:
                dropped.extend(f"{t['code']}.{a if x == anchor else p}: {x}" for x in leaked)
                continue
            pairs.append(Pair(t["code"], f"{a}->{p}", anchor, positive))
    return pairs, sorted(set(dropped))


def batches(pairs: list[Pair], size: int, rng: random.Random) -> list[list[Pair]]:
    """Shuffled pairs packed greedily into batches that never hold one template twice."""
    order = list(pairs)
    rng.shuffle(order)
    out: list[list[Pair]] = []
    for pair in order:
        for batch in out:
            if len(batch) < size and all(p.template != pair.template for p in batch):
                batch.append(pair)
                break
        else:
            out.append([pair])
    return out


def _grams(text: str, n: int) -> set[str]:
    text = "".join(text.split())
    return {text[i : i + n] for i in range(len(text) - n + 1)}


def overlap_report(pairs: list[Pair]) -> dict:
    """How close the training texts come to the judged texts (leakage check)."""
    judged = sorted(judged_texts())
    train = sorted({p.anchor for p in pairs} | {p.positive for p in pairs})
    exact = sorted(set(train) & set(judged))
    best, shared8 = (0.0, "", ""), 0
    judged_grams = [(j, _grams(_normalised(j), 2), _grams(j, 8)) for j in judged]
    for t in train:
        g2, g8 = _grams(_normalised(t), 2), _grams(t, 8)
        for j, j2, j8 in judged_grams:
            if g8 & j8:
                shared8 += 1
            jac = len(g2 & j2) / max(1, len(g2 | j2))
            if jac > best[0]:
                best = (jac, t, j)
    return {
        "train_texts": len(train),
        "judged_texts": len(judged),
        "exact_equal": exact,
        "pairs_sharing_an_8_char_run": shared8,
        "max_bigram_jaccard": round(best[0], 3),
        "closest": [best[1], best[2]],
    }


def cmd_pairs(_args) -> None:
    pairs, dropped = taxonomy_pairs(judged_texts())
    print(f"{len(pairs)} pairs from the taxonomy; left out (in a judged set): {dropped}")
    print(json.dumps(overlap_report(pairs), ensure_ascii=False, indent=1))


def train(
    base: Path,
    out: Path,
    *,
    epochs: int = 1,
    batch_size: int = 32,
    lr: float = 2e-5,
    scale: float = 20.0,
    seed: int = 17,
    threads: int = 2,
    max_tokens: int = 128,
) -> dict:
    """Fine-tune the model in `base` on the taxonomy pairs; write it to `out`; the record."""
    import torch
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.losses import MultipleNegativesRankingLoss
    from transformers import get_linear_schedule_with_warmup

    started, load_before = time.monotonic(), os.getloadavg()[0]
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True)
    rng = random.Random(seed)
    pairs, dropped = taxonomy_pairs(judged_texts())
    plan = [b for _ in range(epochs) for b in batches(pairs, batch_size, rng)]

    model = SentenceTransformer(str(base), device="cpu", local_files_only=True)
    full_length = model.max_seq_length
    model.max_seq_length = max_tokens
    transformer = model[0].auto_model
    transformer.embeddings.word_embeddings.weight.requires_grad_(False)
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=lr, weight_decay=0.01)
    schedule = get_linear_schedule_with_warmup(optimizer, max(1, len(plan) // 10), len(plan))
    loss_fn = MultipleNegativesRankingLoss(model, scale=scale)
    model.train()
    losses = []
    for step, batch in enumerate(plan, 1):
        anchors = model.preprocess([QUERY_PREFIX + p.anchor for p in batch])
        positives = model.preprocess([DOCUMENT_PREFIX + p.positive for p in batch])
        loss = loss_fn([anchors, positives], None)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        optimizer.step()
        schedule.step()
        losses.append(round(loss.item(), 4))
        print(f"step {step}/{len(plan)} batch {len(batch)} loss {losses[-1]}", flush=True)
    model.eval()
    model.max_seq_length = full_length
    seconds = time.monotonic() - started

    work = out.parent / f".{out.name}.tmp"
    shutil.rmtree(work, ignore_errors=True)
    model.save(str(work))
    weights = (work / "model.safetensors").read_bytes()
    info = dict(read_build_info(base) or {})
    record = {
        "pairs": len(pairs),
        "left_out": dropped,
        "steps": len(plan),
        "epochs": epochs,
        "batch_size": batch_size,
        "lr": lr,
        "scale": scale,
        "seed": seed,
        "threads": threads,
        "max_tokens": max_tokens,
        "frozen": "word embeddings",
        "losses": losses,
        "train_seconds": round(seconds, 1),
        "load_average_before": round(load_before, 2),
        "load_average_after": round(os.getloadavg()[0], 2),
        "weights_sha256": hashlib.sha256(weights).hexdigest(),
    }
    info.update(finetune=record, int8=measure_int8(model))
    info["files"] = _file_sizes(work)
    (work / BUILD_INFO).write_text(json.dumps(info, indent=2, ensure_ascii=False), "utf-8")
    shutil.rmtree(out, ignore_errors=True)
    os.replace(work, out)
    return record


def cmd_train(args) -> None:
    record = train(
        Path(args.base),
        Path(args.out),
        epochs=args.epochs,
        batch_size=args.batch_size,
        lr=args.lr,
        scale=args.scale,
        seed=args.seed,
        threads=args.threads,
    )
    print(json.dumps({k: v for k, v in record.items() if k != "losses"}, ensure_ascii=False))


def taxonomy_templates() -> list[Template]:
    data = json.loads(TAXONOMY.read_text(encoding="utf-8"))
    return [
        Template(t["code"], t["industry"], t["category"], t["title_zh"], t["pain_point_zh"],
                 t.get("example_zh", ""))
        for t in data["templates"]
    ]  # fmt: skip


def _parity(doc_id: str) -> int:
    return int(re.findall(r"\d+", doc_id)[-1]) % 2


class SetScores:
    """One judged set's component scores under one encoder (plus the stored-need dense)."""

    def __init__(self, path: Path, encoder, templates):
        from matchmaker.search.core.evalset import ComponentScores, load_evalset

        self.name = path.stem
        self.evalset = load_evalset(str(path))
        self.cs = ComponentScores(self.evalset, encoder, templates)
        ids = self.cs.offering_ids
        by_id = {o.id: o for o in self.evalset.offerings}
        offers = encoder.encode_documents([by_id[i].full_text for i in ids])
        needs = encoder.encode_documents([n.full_text for n in self.evalset.needs])
        stored = needs @ offers.T
        for i, need in enumerate(self.evalset.needs):
            self.cs.scores[need.id]["dense_stored"] = stored[i]

    def needs(self, parity: int):
        return [n for n in self.evalset.needs if _parity(n.id) == parity]

    def metrics(self, parity: int, weights: dict[str, float]) -> dict:
        needs = self.needs(parity)
        if set(weights) == {"dense_stored"}:
            ids = self.cs.offering_ids
            rankings = {
                n.id: [ids[i] for i in np.argsort(-self.cs.scores[n.id]["dense_stored"],
                                                 kind="stable")]
                for n in needs
            }  # fmt: skip
            return mean_metrics(rankings, self.evalset.qrels)
        return self.cs.evaluate(needs, weights, self.evalset.qrels)


def refit(sets: list[SetScores], parity: int) -> dict[str, float]:
    best, best_value = None, -1.0
    for weights in weight_grid(0.05, ["dense", "lexical", "taxonomy"]):
        value = np.mean([s.metrics(parity, weights)["ndcg@10"] for s in sets])
        if value > best_value + 1e-12:
            best, best_value = weights, value
    return best


def evaluate_model(model_dir: str, quantize: str, threads: int) -> dict:
    from matchmaker.search.core.encoders.base import EncoderSettings
    from matchmaker.search.core.encoders.sentence import _load_cached, load_encoder

    started = time.monotonic()
    encoder = load_encoder(EncoderSettings(model_dir=model_dir, quantize=quantize, threads=threads))
    templates = taxonomy_templates()
    sets = [SetScores(p, encoder, templates) for p in SETS]
    result = {"model": model_dir, "quantize": quantize, "fingerprint": encoder.fingerprint}
    result["int8"] = "int8" in encoder.fingerprint.split("/")
    for report, fit_parity, tag in ((1, 0, "report"), (0, 1, "swapped")):
        fitted = refit(sets, fit_parity)
        result[f"refit_weights_{tag}"] = fitted
        for s in sets:
            result[f"{s.name}/{tag}"] = {
                "n_needs": len(s.needs(report)),
                "dense": s.metrics(report, {"dense": 1.0}),
                "dense_stored": s.metrics(report, {"dense_stored": 1.0}),
                "hybrid": s.metrics(report, SHIPPED),
                "hybrid_refit": s.metrics(report, fitted),
            }
    result["seconds"] = round(time.monotonic() - started, 1)
    result["load_average"] = round(os.getloadavg()[0], 2)
    _load_cached.cache_clear()
    return result


def cmd_eval(args) -> None:
    results = []
    if args.out and Path(args.out).exists():
        results = json.loads(Path(args.out).read_text(encoding="utf-8"))
    for model_dir in args.models:
        for quantize in args.quantize:
            done = [r for r in results if r["model"] == model_dir and r["quantize"] == quantize]
            if done and not args.again:
                continue
            results = [r for r in results if r not in done]
            results.append(evaluate_model(model_dir, quantize, args.threads))
            print(json.dumps(results[-1]["devset_plant/report"], ensure_ascii=False), flush=True)
            if args.out:
                Path(args.out).write_text(json.dumps(results, indent=1, ensure_ascii=False))
    print_table(results)


def print_table(results: list[dict]) -> None:
    """nDCG@10 / P@1 per set and half, one row per model, quantisation and ranker."""
    names = [p.stem for p in SETS]
    head = [f"{n}/{t}" for n in names for t in ("report", "swapped")]
    print("| model | mode | ranker | " + " | ".join(head) + " |")
    print("|---" * (3 + len(head)) + "|")
    for r in results:
        mode = "int8" if r["int8"] else "fp32"
        for ranker in ("dense", "dense_stored", "hybrid", "hybrid_refit"):
            cells = [f"{r[h][ranker]['ndcg@10']:.3f} / {r[h][ranker]['p@1']:.2f}" for h in head]
            label = Path(r["model"]).name
            print(f"| {label} | {mode} | {ranker} | " + " | ".join(cells) + " |")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("pairs", help="the training pairs and the leakage check").set_defaults(
        func=cmd_pairs
    )
    t = sub.add_parser("train", help="fine-tune BASE into OUT")
    t.add_argument("base")
    t.add_argument("out")
    t.add_argument("--epochs", type=int, default=1)
    t.add_argument("--batch-size", type=int, default=32)
    t.add_argument("--lr", type=float, default=2e-5)
    t.add_argument("--scale", type=float, default=20.0)
    t.add_argument("--seed", type=int, default=17)
    t.add_argument("--threads", type=int, default=2)
    t.set_defaults(func=cmd_train)
    e = sub.add_parser("eval", help="measure model directories on the judged sets")
    e.add_argument("models", nargs="+")
    e.add_argument("--quantize", nargs="+", default=["auto", "fp32"])
    e.add_argument("--threads", type=int, default=2)
    e.add_argument("--out", help="JSON file of results (extended, reused)")
    e.add_argument("--again", action="store_true", help="re-measure what --out holds")
    e.set_defaults(func=cmd_eval)
    args = parser.parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main()
