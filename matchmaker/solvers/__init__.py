"""Vendors (揭榜方): profiles and solution offerings."""
