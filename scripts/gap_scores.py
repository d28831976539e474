"""The similarity figures behind CONSOLE_GAP_MIN_SIMILARITY: run against a database with the demo
data and a search index built with the real encoder (`make setup`), e.g.

    .venv/bin/python scripts/gap_scores.py

It prints percentiles of the dense (cosine) similarity of every published need with its
published offering candidates, of each need's best offering, and how many needs each threshold
leaves uncovered.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from matchmaker import create_app  # noqa: E402
from matchmaker.dashboard.gaps import CANDIDATES, OFFERING_FILTERS  # noqa: E402
from matchmaker.needs.hall import published_needs  # noqa: E402
from matchmaker.search.app import service  # noqa: E402

PERCENTILES = [0, 10, 25, 50, 75, 90, 100]


def main() -> None:
    with create_app().app_context():
        best, every = [], []
        for need in published_needs():
            result = service.match_for(
                "need", need.id, k=CANDIDATES, filters=OFFERING_FILTERS, with_reasons=False
            )
            dense = [m.components["dense"] for m in (result.matches if result else [])
                     if "dense" in m.components]  # fmt: skip
            if dense:
                best.append(max(dense))
                every.extend(dense)
        if not best:
            sys.exit("no dense scores: build the index with the real encoder first")
        print(f"needs: {len(best)}")
        print("all pairs, percentiles", PERCENTILES, np.percentile(every, PERCENTILES).round(3))
        print("best per need, percentiles", PERCENTILES, np.percentile(best, PERCENTILES).round(3))
        for threshold in (0.9, 0.91, 0.92, 0.93, 0.94):
            print(f"threshold {threshold}: {sum(b < threshold for b in best)} needs uncovered")


if __name__ == "__main__":
    main()
