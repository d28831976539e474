import pytest

from matchmaker.competitions.scoring import (
    Criterion,
    panel_score,
    rank,
    sheet_total,
    validate_sheet,
)

RUBRIC = [
    Criterion("approach", 40),
    Criterion("team", 20),
    Criterion("kpi", 20),
    Criterion("price", 10),
    Criterion("cases", 10),
]


def sheet(a, t, k, p, c):
    return {"approach": a, "team": t, "kpi": k, "price": p, "cases": c}


def test_sheet_total_is_weighted_share_of_max():
    assert sheet_total(RUBRIC, sheet(10, 10, 10, 10, 10)) == 100
    assert sheet_total(RUBRIC, sheet(5, 10, 0, 10, 0)) == pytest.approx(20 + 20 + 10)


def test_validate_sheet_names_missing_and_out_of_range():
    problems = validate_sheet(RUBRIC, {"approach": 11, "team": 5, "kpi": -1, "price": 3})
    assert problems == {"approach": "out_of_range", "kpi": "out_of_range", "cases": "missing"}


def test_trimmed_mean_from_five_experts():
    assert panel_score([50, 60, 70, 80, 100]) == (70, True)
    assert panel_score([50, 60, 70, 100]) == (70, False)
    with pytest.raises(ValueError):
        panel_score([])


def test_rank_orders_by_score_then_kpi_commitment_and_flags_spread():
    sheets = {
        1: [sheet(8, 8, 6, 8, 8)] * 3,
        2: [sheet(8, 8, 6, 8, 8), sheet(8, 8, 6, 8, 8), sheet(8, 8, 6, 8, 8)],
        3: [sheet(9, 7, 9, 4, 8)] * 3,
        4: [sheet(10, 10, 10, 10, 10), sheet(2, 2, 2, 2, 2), sheet(6, 6, 6, 6, 6)],
    }
    # totals: 3 → 36+14+18+4+8 = 80; 1 and 2 → 32+16+12+8+8 = 76 (tied, id order); 4 → mean 60
    results = rank(RUBRIC, sheets, tie_break="kpi")
    assert [r.application_id for r in results] == [3, 1, 2, 4]
    assert results[-1].flagged and results[-1].spread == 80
    assert not results[0].flagged


def test_tie_broken_by_kpi_commitment():
    sheets = {7: [sheet(10, 10, 5, 10, 10)], 8: [sheet(10, 5, 10, 10, 10)]}
    assert sheet_total(RUBRIC, sheets[7][0]) == sheet_total(RUBRIC, sheets[8][0])
    assert [r.application_id for r in rank(RUBRIC, sheets, tie_break="kpi")] == [8, 7]
