"""`flask rounds tick`: open and close the 揭榜 windows (the job worker runs the same every minute)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from . import stageflow

rounds_cli = AppGroup("rounds", help="揭榜挂帅 rounds.")


@rounds_cli.command("tick")
def tick_command() -> None:
    """Move listings whose application window opened or closed (idempotent)."""
    result = stageflow.tick()
    click.echo(f"rounds: opened {result['opened']}, closed {result['closed']}")
