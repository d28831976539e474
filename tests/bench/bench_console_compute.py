"""The console's two heavy computations at N× the demo, in-process (not through gunicorn; not
a test): the supply–demand gap figures (`dashboard.gaps.compute`) and the duplicate clusters
(`search.app.service.scored_duplicate_clusters`).

The demo is loaded as `bench_scale.py` loads it (scratch SQLite, the real encoder's vectors),
then multiplied synthetically, in minutes less than through the services: every published
need row is copied (N − 1) times in SQL with its title numbered, and every indexed need and
offering gets (N − 1) index rows with the numbered title and the original's stored vector, so
each need has N − 1 near-exact copies, as in the benchmark. The index is rebuilt from those
rows, then each computation is timed `--repeat` times (the load average beside it).
`--save FILE` writes what they computed and `--compare FILE` checks it equals a saved run
(e.g. of the code before a change).

    .venv/bin/python tests/bench/bench_console_compute.py [--copies 50] [--folder DIR]
        [--repeat 2] [--only gaps|duplicates] [--save FILE] [--compare FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "bench"))


def prepare(folder: Path, model_dir: str) -> dict[str, str]:
    """The 1× demo with its vectors in `folder` (made once, reused)."""
    import bench_scale

    marker = folder / "prepared.json"
    if marker.exists():
        return json.loads(marker.read_text())["env"]
    folder.mkdir(parents=True, exist_ok=True)
    env, facts = bench_scale.prepare(folder, 1, model_dir)
    marker.write_text(json.dumps({"env": env, "facts": facts}))
    return env


def multiply(copies: int) -> tuple[int, int]:
    """Copies of the published needs (rows and index rows) and of the indexed offerings."""
    from sqlalchemy import insert, select

    from matchmaker.extensions import db
    from matchmaker.needs.models import Need
    from matchmaker.search.core.payload import from_payload, text_hash
    from matchmaker.search.store import store
    from matchmaker.search.store.models import Embedding, SearchDocument

    table = Need.__table__
    originals = db.session.execute(select(table).where(table.c.status == "published")).mappings()
    originals = [dict(row) for row in originals]
    docs = {
        (d.kind, d.ref_id): d
        for d in db.session.scalars(select(SearchDocument).where(SearchDocument.active.is_(True)))
    }
    vectors = {(e.kind, e.ref_id): e for e in db.session.scalars(select(Embedding))}
    version = store.bump_version()
    offering_id = 1_000_000

    def index_copy(kind: str, ref_id: str, new_id: str, title: str) -> None:
        source = docs.get((kind, ref_id))
        if source is None:
            return
        payload = dict(source.payload, id=new_id, title=title)
        digest = text_hash(from_payload(payload))
        db.session.add(SearchDocument(
            kind=kind, ref_id=new_id, payload=payload, text_hash=digest, active=True,
            version=version,
        ))  # fmt: skip
        vec = vectors.get((kind, ref_id))
        if vec is not None:
            db.session.add(Embedding(
                kind=kind, ref_id=new_id, fingerprint=vec.fingerprint, text_hash=digest,
                dim=vec.dim, vector=vec.vector,
            ))  # fmt: skip

    offerings = [d for (kind, _), d in docs.items() if kind == "offering"]
    for copy in range(2, copies + 1):
        for row in originals:
            values = {k: v for k, v in row.items() if k != "id"}
            values["title"] = f"{row['title']}（第{copy}批）"[:200]
            new_id = db.session.execute(insert(table).values(**values)).inserted_primary_key[0]
            index_copy("need", str(row["id"]), str(new_id), values["title"])
        for doc in offerings:
            offering_id += 1
            title = f"{doc.payload['title']}（第{copy}批）"[:200]
            index_copy("offering", doc.ref_id, str(offering_id), title)
    db.session.commit()
    return len(originals) * copies, len(offerings) * copies


def timed(label: str, call, repeat: int) -> tuple[object, list[dict]]:
    rows, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = call()
        seconds = time.perf_counter() - started
        rows.append({"step": label, "s": round(seconds, 3), "load": os.getloadavg()})
        print(f"{label}: {seconds:.2f} s (load average {' '.join(f'{x:.2f}' for x in rows[-1]['load'])})",
              flush=True)  # fmt: skip
    return result, rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=50)
    parser.add_argument("--folder", default=None, help="scratch folder (kept, reused)")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--only", choices=("gaps", "duplicates"))
    parser.add_argument("--save")
    parser.add_argument("--compare")
    args = parser.parse_args()
    folder = Path(args.folder or f"/tmp/console-compute-{args.copies}x")
    work = folder / "work"
    if not os.environ.get("CONSOLE_COMPUTE_WORK"):  # prepare, then measure in a fresh process
        import shutil

        from matchmaker.search.core.encoders.build import DEFAULT_MODEL, build_model

        model_dir = os.environ.get("MATCHMAKER_MODEL_DIR") or str(
            ROOT / "instance" / "models" / DEFAULT_MODEL
        )
        build_model(model_dir, progress=False)
        env = prepare(folder / "base", model_dir)
        if work.exists():
            shutil.rmtree(work)
        shutil.copytree(folder / "base", work)
        env |= {
            "DATABASE_URL": f"sqlite:///{work / 'scale.sqlite3'}",
            "MATCHMAKER_INSTANCE": str(work),
            "CONSOLE_COMPUTE_WORK": str(work),
        }
        sys.exit(subprocess.run([sys.executable, __file__, *sys.argv[1:]], env=env).returncode)

    from matchmaker import create_app
    from matchmaker.dashboard import gaps
    from matchmaker.search.app import service

    app = create_app()
    app.config["SEARCH_INDEX_DIR"] = str(work / "search-index-bench")
    with app.app_context():
        started = time.perf_counter()
        needs, offerings = multiply(args.copies)
        print(f"{args.copies}×: {needs} needs, {offerings} offerings "
              f"(copied in {time.perf_counter() - started:.1f} s)", flush=True)  # fmt: skip
        holder = service.get_holder()
        _, steps = timed("index rebuild from stored vectors", holder.rebuild, 1)
        result = {}
        if args.only != "duplicates":
            figures, rows = timed("gaps.compute", gaps.compute, args.repeat)
            steps += rows
            _, rows = timed("gaps.refresh (compute and store)", gaps.refresh, 1)
            steps += rows
            result["gaps"] = {k: v for k, v in figures.items() if k != "index_version"}
            print(f"{len(figures['uncovered'])} uncovered needs")

        def clusters():
            holder._duplicate_clusters = None
            return service.scored_duplicate_clusters()

        if args.only != "gaps":
            found, rows = timed("duplicate clusters", clusters, args.repeat)
            steps += rows
            result["clusters"] = [
                [ids, {k: round(v, 5) for k, v in best.items()}] for ids, best in found
            ]
            largest = len(found[0][0]) if found else 0
            print(f"{len(found)} clusters, largest {largest}")
    if args.save:
        Path(args.save).write_text(json.dumps({"result": result, "steps": steps}))
    if args.compare:
        saved = json.loads(Path(args.compare).read_text())["result"]
        for key in sorted(set(saved) & set(result)):
            same = json.loads(json.dumps(result[key])) == saved[key]
            print(f"{key}: {'the same as' if same else 'DIFFERENT from'} {args.compare}")


if __name__ == "__main__":
    main()
