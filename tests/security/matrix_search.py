"""Matrix rows of the matching pages (see matrix.py): the vendor's "适合我的榜单" (vendor
members only) and the free-text search page (open to everyone; it lists only what the
hall and the directory show anonymously)."""

from __future__ import annotations

from .rows import Row, everyone, only

SEARCH = [
    Row("GET", "/search", "/search?q=坯布疵点检测", everyone()),
    Row("GET", "/search", "/search", everyone()),
    Row("GET", "/vendor/matching-needs", "/vendor/matching-needs", only("vendor_a", "vendor_b")),
]
