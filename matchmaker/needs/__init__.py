"""Needs (发榜): a factory's AI demand, from a scenario template; drafts, review, publication,
confidentiality, and the listing hall (揭榜大厅) where vendors browse published needs."""
