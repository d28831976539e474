"""Matrix rows of the matching pages (see matrix.py): the vendor's "适合我的榜单" (vendor
members only), the free-text search page (open to everyone; it lists only what the
hall and the directory show anonymously), and 不相关 / 已联系 on a recommendation (the need's
own factory on its published need, a vendor with its own published offering on a need it
may see; organisers and experts never judge)."""

from __future__ import annotations

from .rows import CONFLICT, FORBIDDEN, NOT_FOUND, Row, everyone, only, signed_in

JUDGE = "/recommendations/<int:need_id>/<int:offering_id>/judgment"


def _judge(need: str, offering: str, expect) -> Row:
    path = f"/recommendations/{{{need}}}/{{{offering}}}/judgment"
    return Row("POST", JUDGE, path, expect, {"verdict": "contacted"})


SEARCH = [
    Row("GET", "/search", "/search?q=坯布疵点检测", everyone()),
    Row("GET", "/search", "/search", everyone()),
    Row("GET", "/vendor/matching-needs", "/vendor/matching-needs", only("vendor_a", "vendor_b")),
    _judge("need_public", "offering_published", only("factory_a", "vendor_a")),
    _judge(
        "need_invited",
        "offering_published",
        {**only("factory_a", "vendor_a"), "factory_b": NOT_FOUND},
    ),
    _judge(
        "need_draft",
        "offering_published",
        signed_in(FORBIDDEN, factory_a=CONFLICT, factory_b=NOT_FOUND, vendor_a=NOT_FOUND),
    ),
    _judge(
        "need_public",
        "offering_draft",
        signed_in(FORBIDDEN, factory_a=NOT_FOUND, vendor_a=CONFLICT),
    ),
    _judge(
        "missing_id",
        "offering_published",
        signed_in(NOT_FOUND, expert=FORBIDDEN, organiser=FORBIDDEN),
    ),
    _judge(
        "need_public",
        "missing_id",
        signed_in(NOT_FOUND, expert=FORBIDDEN, organiser=FORBIDDEN),
    ),
]
