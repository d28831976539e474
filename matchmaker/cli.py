"""Registers every package's command group on the `flask` CLI."""

from __future__ import annotations

from flask import Flask


def register_cli(app: Flask) -> None:
    # Feature packages add their click groups here as they land.
    return None
