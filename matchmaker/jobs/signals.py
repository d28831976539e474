"""What the console shows: Huey's signals recorded per app (filled in with the jobs models)."""

from __future__ import annotations

from flask import Flask
from huey.api import Huey


def connect(app: Flask, huey: Huey) -> None:
    """Hook the app's queue signals (executing, complete, error) to the run records."""
